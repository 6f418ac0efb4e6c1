// Whether this machine can run the kernel tests. They need root, `ip`, `nft` and `ping`; without them
// they are skipped with the reason printed, except under CI (CI runs as root and .ci/run installs the
// packages), where a missing prerequisite is a failure.

import { labPrerequisites } from "./lab.js";

export const missing = await labPrerequisites();
export const canRunLab = missing === undefined;
if (missing) console.log(`kernel tests skipped: ${missing}`);
