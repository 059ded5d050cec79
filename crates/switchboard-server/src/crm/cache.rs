//! The CRM's recent answers by contact, in memory and bounded: the oldest remembered answer
//! goes first when the cache is full. An answer past its lifetime is kept (until pushed out)
//! so it can be shown, marked stale, while the CRM is down.

use super::contract::Answer;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Remembered {
    pub answer: Arc<Answer>,
    /// When the CRM gave it (Unix milliseconds).
    pub fetched_at: i64,
}

#[derive(Debug)]
pub struct Cache {
    capacity: usize,
    entries: HashMap<i64, (Remembered, u64)>,
    /// Contacts in the order their answers were stored, with the stamp of that store; an
    /// older stamp than the entry's is a leftover of an answer since replaced.
    order: VecDeque<(i64, u64)>,
    stamp: u64,
}

impl Cache {
    pub fn new(capacity: usize) -> Cache {
        Cache {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            order: VecDeque::new(),
            stamp: 0,
        }
    }

    pub fn get(&self, contact_id: i64) -> Option<Remembered> {
        self.entries.get(&contact_id).map(|(r, _)| r.clone())
    }

    pub fn put(&mut self, contact_id: i64, remembered: Remembered) {
        self.stamp += 1;
        self.entries.insert(contact_id, (remembered, self.stamp));
        self.order.push_back((contact_id, self.stamp));
        while self.entries.len() > self.capacity {
            let Some((oldest, stamp)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&oldest).is_some_and(|(_, s)| *s == stamp) {
                self.entries.remove(&oldest);
            }
        }
        // Leftovers of replaced answers: drop them before they outnumber the entries.
        if self.order.len() > 2 * self.capacity + 16 {
            let entries = &self.entries;
            self.order
                .retain(|(id, stamp)| entries.get(id).is_some_and(|(_, s)| s == stamp));
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(at: i64) -> Remembered {
        Remembered {
            answer: Arc::new(Answer::NotFound),
            fetched_at: at,
        }
    }

    #[test]
    fn the_oldest_answer_goes_first() {
        let mut cache = Cache::new(2);
        cache.put(1, answer(1));
        cache.put(2, answer(2));
        cache.put(1, answer(3)); // 1 is now the newest
        cache.put(3, answer(4));
        assert!(cache.get(2).is_none());
        assert_eq!(cache.get(1).map(|r| r.fetched_at), Some(3));
        assert_eq!(cache.get(3).map(|r| r.fetched_at), Some(4));
    }

    proptest! {
        /// The cache never holds more than its capacity, always holds the answer just
        /// stored, and its bookkeeping stays bounded.
        #[test]
        fn bounded(capacity in 1usize..8, puts in proptest::collection::vec(0i64..20, 0..300)) {
            let mut cache = Cache::new(capacity);
            for (at, id) in puts.into_iter().enumerate() {
                cache.put(id, answer(at as i64));
                prop_assert!(cache.len() <= capacity);
                prop_assert_eq!(cache.get(id).map(|r| r.fetched_at), Some(at as i64));
                prop_assert!(cache.order.len() <= 2 * capacity + 17);
            }
        }
    }
}
