import { useCallback, useEffect, useState } from "react";
import type { CommandMap } from "../../bindings/CommandMap";
import { call, toIpcError } from "../../ipc";

type NoRequest = { [K in keyof CommandMap]: CommandMap[K]["request"] extends null ? K : never }[keyof CommandMap];

export type Loaded<T> = { data: T | null; error: string | null; reload: () => void };

/** Loads what a command without a request answers, again on `reload`. */
export function useLoad<K extends NoRequest>(command: K): Loaded<CommandMap[K]["response"]> {
  const [data, setData] = useState<CommandMap[K]["response"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    call(command, null).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(null);
      },
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [command, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, reload };
}
