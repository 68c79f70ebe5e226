import type { KubeObject } from './store';

/** Equality/set-less label selectors as `kubectl -l` writes them: `a=b,c!=d,e,!f`. */
export function matchesLabels(object: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  const labels = object.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const clause = term.trim();
    const notEqual = clause.match(/^([^!=]+)!=(.*)$/);
    if (notEqual) return labels[notEqual[1]!.trim()] !== notEqual[2]!.trim();
    const equal = clause.match(/^([^!=]+)==?(.*)$/);
    if (equal) return labels[equal[1]!.trim()] === equal[2]!.trim();
    if (clause.startsWith('!')) return !(clause.slice(1) in labels);
    return clause in labels;
  });
}

/** The field selectors the API server supports on every resource: metadata.name and metadata.namespace. */
export function matchesFields(object: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [field, value] = term.split('=') as [string, string | undefined];
    if (field === 'metadata.name') return object.metadata.name === value;
    if (field === 'metadata.namespace') return object.metadata.namespace === value;
    return false;
  });
}
