#!/bin/sh
# spawnwatch under valgrind memcheck (see VALGRIND in lib.sh): every error
# and every definite leak is written to $VALGRIND/vg.PID.log, and makes the
# status 99; a clean run writes an empty log.  A child of spawnwatch only
# execs (-- COMMAND) or is the --run-as guard: not checked.
exec valgrind -q --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--track-fds=no --vgdb=no --log-file="$VALGRIND/vg.%p.log" "$SW_REAL" "$@"
