import { RefDialog } from '../components/ref-dialog';

/** Asks for the branch to build (defaults to `main` or the service's default branch). */
export function TriggerBuildDialog(props: {
  defaultBranch: string;
  busy: boolean;
  error: string | null;
  onSubmit: (branch: string) => void;
  onClose: () => void;
}) {
  const { defaultBranch, ...rest } = props;
  return (
    <RefDialog
      {...rest}
      defaultRef={defaultBranch}
      title="Trigger build"
      label="Branch"
      inputId="trigger-branch"
      submit="Start build"
      help="Kiln clones this branch, builds the image, pushes it and deploys it if auto-deploy is on."
    />
  );
}
