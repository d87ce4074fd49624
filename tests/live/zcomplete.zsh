# zsh -f zcomplete.zsh DIR LINE: the completions zsh offers at the end of
# LINE, one per line, with the completion functions of DIR first in $fpath.
# For tests/live/completion.sh: an interactive zsh in a pseudo-terminal,
# TAB typed at the end of LINE, and every match compadd adds printed.
zmodload zsh/zpty || exit 1
zpty z 'zsh -f -i'
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "bindkey '^I' complete-word; zstyle ':completion:*' insert-tab false"
zpty -w z 'no_list() { compstate[list]=; }; compprefuncs=(no_list)'
# The markers are split in the commands, so that their echo is not taken
# for them.
zpty -w z 'finish() { print -n "<<""end>>"; exit; }; comppostfuncs=(finish)'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a __hits; builtin compadd -A __hits "$@"; local i; for i in $__hits; do print -r -- "<<""hit:$i>>"; done; builtin compadd "$@"; }'
zpty -w -n z "$2"$'\t'
local line
while zpty -r z line; do
	while [[ $line == *'<<hit:'*'>>'* ]]; do
		line=${line#*<<hit:}
		print -r -- "${line%%>>*}"
		line=${line#*>>}
	done
	[[ $line == *'<<end>>'* ]] && break
done
zpty -d z
