// An error as "CODE: message". A CONFLICT (someone changed the row since this screen read its
// version) comes with a reload, since retrying the same version can only fail again.
import { ApiError, describeError } from '../../lib/api';

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'CONFLICT' || err.code === 'VERSION_CONFLICT');
}

export function ErrorNote({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  const conflict = isConflict(error);
  const code = error instanceof ApiError ? error.code : 'ERROR';
  return (
    <div className="ec-error" role="alert" data-code={code}>
      <span className="ec-error-text">{describeError(error)}</span>
      {conflict && (
        <span className="ec-error-hint">
          {' '}This changed since you loaded it.{' '}
          {onReload && (
            <button type="button" className="ec-link" onClick={onReload}>
              Reload the latest version
            </button>
          )}
        </span>
      )}
    </div>
  );
}
