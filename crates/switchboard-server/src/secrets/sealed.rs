//! One sealed value: `enc:v1:` then base64 of a random 192-bit nonce and the XChaCha20-Poly1305
//! ciphertext, with the setting's name as associated data.

use super::{MasterKey, SecretField, SecretsError};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// How every sealed value starts; a new format gets `enc:v2:`.
pub const ENCRYPTED_PREFIX: &str = "enc:v1:";
const NONCE_BYTES: usize = 24;
const TAG_BYTES: usize = 16;

/// Whether a settings value is sealed (in any version), rather than plain text.
pub fn is_encrypted(value: &str) -> bool {
    value.starts_with("enc:")
}

fn associated_data(field: &SecretField) -> String {
    format!("switchboard settings {}", field.binding())
}

fn cipher(key: &MasterKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(key.bytes()))
}

/// Seals `plain` for `field`.
pub fn seal(key: &MasterKey, field: &SecretField, plain: &str) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = associated_data(field);
    let ciphertext = cipher(key)
        .encrypt(
            &nonce,
            Payload {
                msg: plain.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 seals any value shorter than 256 GiB");
    let mut sealed = nonce.to_vec();
    sealed.extend_from_slice(&ciphertext);
    format!("{ENCRYPTED_PREFIX}{}", STANDARD.encode(sealed))
}

/// Opens a value [`seal`] wrote for `field`.
pub fn open(key: &MasterKey, field: &SecretField, value: &str) -> Result<String, SecretsError> {
    let malformed = |why| SecretsError::Malformed {
        field: field.to_string(),
        why,
    };
    let encoded = value.strip_prefix(ENCRYPTED_PREFIX).ok_or_else(|| {
        malformed("this server reads enc:v1: values only; a newer switchboard-server wrote it")
    })?;
    let sealed = STANDARD
        .decode(encoded.trim())
        .map_err(|_| malformed("the part after enc:v1: is not base64; was it cut short?"))?;
    if sealed.len() < NONCE_BYTES + TAG_BYTES {
        return Err(malformed("it is too short; was it cut short?"));
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
    let aad = associated_data(field);
    let plain = cipher(key)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: aad.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SecretsError::WrongKey {
            field: field.to_string(),
        })?;
    String::from_utf8(plain.to_vec()).map_err(|_| malformed("it does not decrypt to text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(section: &'static str, index: usize, name: &'static str) -> SecretField {
        SecretField {
            section,
            index,
            name,
        }
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_and_setting_only() {
        let key = MasterKey::generate();
        let token = field("numbers", 0, "access_token");
        let sealed = seal(&key, &token, "EAAG-token");
        assert!(sealed.starts_with(ENCRYPTED_PREFIX) && !sealed.contains("EAAG"));
        assert_eq!(open(&key, &token, &sealed).unwrap(), "EAAG-token");
        // Another entry of the same setting opens it: entries may be reordered.
        assert_eq!(
            open(&key, &field("numbers", 3, "access_token"), &sealed).unwrap(),
            "EAAG-token"
        );
        // Moved to another setting, or opened with another key, it does not.
        let moved = open(&key, &field("meta_apps", 0, "app_secret"), &sealed).unwrap_err();
        assert_eq!(
            moved.to_string(),
            "cannot decrypt meta_apps[0].app_secret with this master key: it was encrypted with another key, or the value was changed or copied from another setting"
        );
        let other = MasterKey::generate();
        assert!(matches!(
            open(&other, &token, &sealed),
            Err(SecretsError::WrongKey { .. })
        ));
    }

    #[test]
    fn each_sealing_uses_a_fresh_nonce() {
        let key = MasterKey::generate();
        let token = field("numbers", 0, "access_token");
        assert_ne!(seal(&key, &token, "same"), seal(&key, &token, "same"));
    }

    #[test]
    fn damaged_values_are_named_not_shown() {
        let key = MasterKey::generate();
        let token = field("numbers", 2, "access_token");
        let sealed = seal(&key, &token, "secret-value");
        for damaged in [
            "enc:v2:AAAA".to_string(),
            "enc:v1:not base64!".to_string(),
            "enc:v1:AAAA".to_string(),
            sealed[..sealed.len() - 4].to_string(),
        ] {
            let error = open(&key, &token, &damaged).unwrap_err().to_string();
            assert!(error.contains("numbers[2].access_token"), "{error}");
            assert!(!error.contains("secret-value"), "{error}");
        }
    }
}
