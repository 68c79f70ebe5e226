import type { Build } from '../api/types';
import { CopyButton } from '../components/copy-button';

/** One pushed image reference of a build (or of one of its sub-projects). */
interface ImageRow {
  image: string;
  digest: string | null;
  subproject: string | null;
}

/** Every image a build pushed, its sub-projects' included: a parent lists its children's images. */
export function imagesOf(build: Build, subBuilds: Build[]): ImageRow[] {
  const own = build.images.map((image) => ({ image, digest: build.digest, subproject: build.subproject }));
  const children = subBuilds.flatMap((child) =>
    child.images.map((image) => ({ image, digest: child.digest, subproject: child.subproject })),
  );
  return [...own, ...children];
}

/** `registry/repo@sha256:…`, the reference that cannot move. */
const pinned = (row: ImageRow) => `${row.image.replace(/:[^:/]+$/, '')}@${row.digest}`;

/** Image references and digests (a monorepo build's `subBuilds` included) with copy buttons. */
export function BuildImages({ build, subBuilds }: { build: Build; subBuilds: Build[] }) {
  const rows = imagesOf(build, subBuilds);
  if (rows.length === 0) {
    return (
      <p className="muted">{build.status === 'Succeeded' ? 'This build pushed no image.' : 'No image pushed yet.'}</p>
    );
  }
  const monorepo = rows.some((row) => row.subproject);
  return (
    <div className="table-wrap">
      <table className="images-table" aria-label="Pushed images">
        <thead>
          <tr>
            {monorepo && <th scope="col">Sub-project</th>}
            <th scope="col">Image</th>
            <th scope="col">Digest</th>
            <th scope="col">
              <span className="visually-hidden">Copy</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.image}>
              {monorepo && <td>{row.subproject ?? '—'}</td>}
              <td>
                <code className="wrap">{row.image}</code>
              </td>
              <td>{row.digest ? <code className="wrap">{row.digest}</code> : <span className="muted">—</span>}</td>
              <td className="copy-cell">
                <CopyButton label="Image" what={`Image ${row.image}`} getText={() => row.image} />
                {row.digest && (
                  <CopyButton label="Digest" what={`Digest of ${row.image}`} getText={() => pinned(row)} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 1 && (
        <CopyButton label="Copy all" what="Every image reference" getText={() => rows.map((r) => r.image).join('\n')} />
      )}
    </div>
  );
}
