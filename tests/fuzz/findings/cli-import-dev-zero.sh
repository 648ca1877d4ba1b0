#!/bin/sh
# A character device (or any endless input) as the ledger: one record that never ends, memory
# grows without bound (about 50 MB/s here) until killed. The same with
# `--agreement /dev/zero` and `cost_centres: /dev/zero` in an agreement.
# Expected: refuse what is not a regular file, or cap the record length.
. "$(dirname "$0")/_workspace.sh"
timeout 10 "$S75" import actuals /dev/zero
echo "exit $? (124 = killed by timeout after 10 s)"
