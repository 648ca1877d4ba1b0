#!/bin/sh
# A given variance near the largest amount overflows the settlement (settle.c:255):
# UBSan "signed integer overflow"; without sanitizers the partners' shares wrap and no
# longer add up to the variance. Expected: "amount out of range" and exit 1.
. "$(dirname "$0")/_workspace.sh"
"$S75" scenario --year 2017/18 --variance 92233720368547758.07
echo "exit $?"
