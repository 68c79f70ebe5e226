// Every workflow the worker registers; the worker bundles this module.
export { buildWorkflow } from './build';
export { detectServiceWorkflow } from './detect';
export { openWizardChangeRequestWorkflow, proposeDockerfileWorkflow } from './build-wizard';
export { rollbackWorkflow } from './rollback';
