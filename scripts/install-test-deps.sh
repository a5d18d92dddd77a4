#!/usr/bin/env bash
# What the test suite needs beyond npm, installed by the project (never by hand), so that
# `npm test` on a fresh machine and CI's `.ci/run` do the same thing:
#   - Debian's Chromium, for the approver page's browser test;
#   - Debian's PostgreSQL and HAProxy, for the real failover tests (test/e2e/pg-*.test.ts);
#   - Debian's ansible-core, to run the peers benchmark's playbook (test/unit/bench/peers-execution.test.ts).
# The scripts are idempotent and take milliseconds when everything is there. Where a package
# cannot be installed (not root, not Debian), they say so and the tests that need it are skipped
# with that reason on a developer's machine; under CI=true those tests fail instead, so CI can
# never pass without having run them.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-chromium.sh
bash scripts/install-ansible.sh
if ! bash scripts/lab/install.sh; then
  echo "install-test-deps: PostgreSQL/HAProxy are not installed; the real failover tests will be skipped (CI=true: failed)"
fi
exit 0
