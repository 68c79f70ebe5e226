import { CopyButton } from '../components/copy-button';

/** A token shown once, right after it was made, with a copy button. */
export function NewToken({ token, whose }: { token: string; whose: string }) {
  return (
    <div className="note" role="status">
      <p>
        API token for {whose} (shown only now): <code className="wrap">{token}</code>
      </p>
      <CopyButton label="Copy token" what="Token" getText={() => token} />
    </div>
  );
}
