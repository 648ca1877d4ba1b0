#!/bin/sh
# A throw-away PostgreSQL cluster for the tests, on a Unix socket only (no TCP port).
#   sh scripts/pg-cluster.sh start DIR   initdb in DIR/data, start it with its socket in DIR,
#                                         print the connection string (S75_TEST_PG)
#   sh scripts/pg-cluster.sh stop DIR    stop it and remove DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system
# user (or `nobody`), owning DIR; otherwise as the caller. Durability is off: it is thrown away.
set -eu
verb=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/pg_ctl" ] || { echo "pg-cluster: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
as=""
if [ "$(id -u)" -eq 0 ]; then
	user=postgres
	id "$user" >/dev/null 2>&1 || user=nobody
	as="runuser -u $user --"
fi
port=5432
case $verb in
start)
	mkdir -p "$dir"
	[ -n "$as" ] && chown "$user" "$dir"
	chmod 700 "$dir"
	$as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --locale=C --encoding=UTF8 -N \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	$as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
		-o "-k $dir -c listen_addresses='' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >&2 || { cat "$dir/server.log" >&2; exit 1; }
	# the socket's folder must be reachable by the tests (run as root or as the caller)
	chmod 755 "$dir"
	echo "postgresql:///postgres?host=$dir&port=$port&user=postgres"
	;;
stop)
	[ -d "$dir/data" ] && $as "$bin/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh start|stop DIR" >&2
	exit 2
	;;
esac
