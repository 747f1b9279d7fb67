// External programs the report tests drive (xmllint, pdftotext, pdftoppm). .ci/run installs them
// (test/lab/install-browser.sh, test/lab/install-report-tools.sh); a missing one fails the test
// with the package to install, so a pass is never silently empty.
import { spawnSync } from 'node:child_process';

export function haveTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function requireTool(cmd: string, pkg: string): void {
  if (!haveTool(cmd)) throw new Error(`${cmd} is not installed: run test/lab/install-report-tools.sh (Debian package ${pkg})`);
}
