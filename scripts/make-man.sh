#!/bin/sh
# Writes the manual page docs/s75.1 from the binary's own help, so that the page and
# `--help` cannot disagree (a test runs this and compares). usage: make-man.sh S75 > s75.1
set -eu
s75=$1
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }
cat <<'HEAD'
.TH S75 1 "" "s75" "User Commands"
.SH NAME
s75 \- run Section 75 pooled budgets: agreements, contributions, ledgers, risk share,
statutory reports, governance and care packages
.SH SYNOPSIS
.B s75
.RB [ \-C
.IR DIR ]
.RB [ \-\-agreement
.IR FILE ]
.I COMMAND
.RI [ options ]
.SH DESCRIPTION
HEAD
echo ".nf"
"$s75" help | esc
echo ".fi"
echo ".SH COMMANDS"
for c in check contributions init "import actuals" "import forecasts" "import packages" \
	"import kpi" "import meetings" "import decisions" "import interests" \
	"import participation" "import savings" "import payments" "import undo" batches "period close" "period reopen" "period list" budgets "budgets history" "budgets revise" \
	"report monitoring" "report quarterly" "report annual-return" "report partner-statement" "report kpi" \
	"report packages" "report contributions-due" "report savings" alerts invoice recharges riskshare settle scenario exposure exit "governance check" "governance risks" \
	"governance meetings" "governance decisions" "record meeting" "record decision" \
	"record receipt" "record payment" "record saving" notice status history "bcf plan" "bcf check" "bcf return" \
	"user add" "user list" "user disable" "user password" audit backup migrate serve; do
	echo ".SS $c"
	echo ".nf"
	# shellcheck disable=SC2086
	"$s75" $c --help | esc
	echo ".fi"
done
cat <<'TAIL'
.SH EXIT STATUS
0 on success; 1 on bad input (a file, an amount, a date), and for
.B governance check
when it finds a breach, and for
.B bcf check
when a national condition is not met; 2 on a usage error.
.SH ENVIRONMENT
.TP
.B S75_NOW
The time recorded for imports, undos and notices, and printed on report covers
(ISO 8601); by default the current time. For reproducible tests.
.TP
.B S75_FRAMEWORKS
A folder of Better Care Fund frameworks (ID.yaml), looked in after
.I frameworks/
beside the agreement and before the installed ones.
.SH FILES
.TP
.I agreement.yaml
The agreement (docs/agreement-format.md).
.TP
.I s75.db
The workspace database: import batches, the ledger and its aggregates, forecasts,
governance logs, the care-package register, the web dashboard's accounts and sessions,
and the append-only audit log.
.SH SEE ALSO
docs/agreement-format.md, docs/ledger.md, docs/risk-share.md, docs/reports.md,
docs/governance.md, docs/packages.md, docs/exposure.md, docs/bcf.md, docs/web.md and
docs/deploy.md in the source.
TAIL
