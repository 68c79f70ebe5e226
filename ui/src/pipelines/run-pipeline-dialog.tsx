import { RefDialog } from '../components/ref-dialog';

/** Asks for the branch or tag to run a GitLab pipeline on. */
export function RunPipelineDialog(props: {
  defaultRef: string;
  busy: boolean;
  error: string | null;
  onSubmit: (ref: string) => void;
  onClose: () => void;
}) {
  return (
    <RefDialog {...props} title="Run pipeline" label="Branch or tag" inputId="pipeline-ref" submit="Run pipeline" />
  );
}
