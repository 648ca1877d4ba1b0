#!/bin/sh
# -o FILE writes FILE.tmp.PID and renames it over FILE, whatever FILE is: a FIFO (or a
# device node: as root, `-o /dev/full` replaced /dev/full with a regular file) or a symlink
# becomes a regular file. Expected: write through to an existing non-regular file (or refuse).
. "$(dirname "$0")/_workspace.sh"
mkfifo out.fifo
ln -s target.txt out-link.txt
"$S75" report monitoring --period 2017-04 -o out.fifo; echo "exit $?"
"$S75" report monitoring --period 2017-04 -o out-link.txt; echo "exit $?"
ls -l out.fifo out-link.txt
