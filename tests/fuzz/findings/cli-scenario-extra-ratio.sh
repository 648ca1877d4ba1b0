#!/bin/sh
# Two partners, three ratios: the third is silently dropped (the first two make 100) and the
# row is labelled "ratios 70:30:10". Expected: an error (3 ratios for 2 partners).
. "$(dirname "$0")/_workspace.sh"
"$S75" scenario --year 2017/18 --ratios 70:30:10
echo "exit $?"
