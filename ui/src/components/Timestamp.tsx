import { formatFullTimestamp, formatTimestamp } from "./formatTimestamp";

export function Timestamp({ ms, className }: { ms: number; className?: string }) {
  return (
    <time
      className={className ?? "timestamp"}
      dateTime={new Date(ms).toISOString()}
      title={formatFullTimestamp(ms)}
    >
      {formatTimestamp(ms)}
    </time>
  );
}
