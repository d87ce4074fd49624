# bash completion for spawnwatch(1)                      -*- shell-script -*-
# Installed as spawnwatch in bash-completion's completions directory, where
# it is loaded on first use; or `source` it from ~/.bashrc.  Uses
# bash-completion's helpers when they are there, plain compgen otherwise.
# shellcheck shell=bash disable=SC2207

_spawnwatch_events="fork exec exit uid gid sid ptrace comm coredump reparent all"
# Every long option of `spawnwatch --help` (tests/live/completion.sh checks).
_spawnwatch_output="--json --format --output --syslog --journal --color --ancestry --stats --quiet"
_spawnwatch_select="--pid --comm --user --events --nonzero-exit --threads --tagged"
_spawnwatch_rules="--rules --check"
_spawnwatch_run="--count --duration --rcvbuf --no-realtime --run-as --run-as-shared"
_spawnwatch_misc="--help --version"

_spawnwatch_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

_spawnwatch_pids()
{
	if declare -F _pids >/dev/null; then
		_pids
	else
		COMPREPLY=($(compgen -W "$(cd /proc && printf '%s\n' [0-9]*)" -- "$cur"))
	fi
}

_spawnwatch()
{
	local cur prev words cword split=false
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		# --opt=value: bash splits it into --opt, = and value.
		if [[ $cur == = ]]; then
			cur=""
			split=true
		elif [[ $prev == = && $cword -ge 2 ]]; then
			prev=${words[cword - 2]}
			split=true
		fi
	fi

	# The command word, and where `--` starts watch's COMMAND.
	local cmd=watch first=1 i
	case ${words[1]-} in
	watch | forest | replay)
		cmd=${words[1]}
		first=2
		;;
	esac
	for ((i = first; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			if [[ $cmd == watch ]]; then
				if declare -F _command_offset >/dev/null; then
					_command_offset $((i + 1))
				elif ((cword == i + 1)); then
					COMPREPLY=($(compgen -c -- "$cur"))
				else
					_spawnwatch_files
				fi
			fi
			return
		fi
	done

	case $prev in
	--format)
		if [[ $cmd == forest ]]; then
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json ecs" -- "$cur"))
		fi
		return
		;;
	--color | --colour)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	-e | --events)
		# A comma list: complete its last item, keep what comes before.
		local head="" last=$cur e
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			last=${cur##*,}
		fi
		COMPREPLY=()
		for e in $_spawnwatch_events; do
			[[ ,$head == *",$e,"* ]] && continue
			[[ $e == "$last"* ]] && COMPREPLY+=("$head$e")
		done
		compopt -o nospace 2>/dev/null
		return
		;;
	--user | -Z | --run-as)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	-o | --output | -r | --rules)
		_spawnwatch_files
		return
		;;
	-p | --pid)
		_spawnwatch_pids
		return
		;;
	--comm)
		if declare -F _pnames >/dev/null; then
			_pnames
		else
			COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)" -- "$cur"))
		fi
		return
		;;
	--ancestry | -n | --count | -d | --duration | --rcvbuf)
		return
		;;
	--syslog)
		# Its address is optional, so only in --syslog=ADDR.
		if $split; then
			COMPREPLY=($(compgen -W "/dev/log udp:// tcp://" -- "$cur"))
			compopt -o nospace 2>/dev/null
			return
		fi
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		local opts
		case $cmd in
		forest) opts="-j --json --format --rules --quiet $_spawnwatch_misc" ;;
		replay)
			opts="$_spawnwatch_output $_spawnwatch_select $_spawnwatch_rules $_spawnwatch_misc
				-j -o -q -p -e -t -r"
			;;
		*)
			opts="$_spawnwatch_output $_spawnwatch_select $_spawnwatch_rules $_spawnwatch_run
				$_spawnwatch_misc -j -o -q -p -e -t -r -n -d -Z -h -V"
			[[ $cmd == watch ]] && opts="$opts --"
			;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "watch forest replay" -- "$cur"))
		return
	fi
	case $cmd in
	replay)
		_spawnwatch_files
		[[ - == "$cur"* ]] && COMPREPLY+=(-)
		;;
	forest) _spawnwatch_pids ;;
	esac
}
complete -F _spawnwatch spawnwatch
