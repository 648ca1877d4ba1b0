#!/bin/sh
# A header without the profile's columns is echoed whole in the error, \xNN for each byte:
# a 1 MB line of NULs gives a 4 MB message (100 MB of text gives a 100 MB line; 10^6 empty
# columns give 2 MB). Expected: the header shown cut to a few hundred bytes.
. "$(dirname "$0")/_workspace.sh"
head -c 1000000 /dev/zero > zeros.csv
"$S75" import actuals zeros.csv 2>err.txt
echo "exit $?, $(wc -c < err.txt) bytes on stderr"
