// Status and tier badges: colour plus the word, so nothing depends on colour alone.
import { label } from '../format';

export function Badge({ kind, value }: { kind: 'status' | 'tier' | 'key' | 'agreement'; value: string | null | undefined }) {
  const v = value ?? 'UNRATED';
  return (
    <span className={`ec-badge ec-${kind}-${v.toLowerCase().replace(/_/g, '-')}`} data-badge={kind} data-value={v}>
      {label(v)}
    </span>
  );
}
