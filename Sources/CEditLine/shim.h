#include <stdio.h>
#include <editline/readline.h>

/*
 * Small fixed-arity accessors for libedit's readline-compatible globals.
 * Swift 6 refuses to touch mutable C globals directly ("not concurrency-safe"),
 * so the shell reads and writes them only through these inline functions.
 */

/// Installs the attempted-completion callback (NULL removes it).
static inline void hashlab_set_attempted_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/// When set to 1 inside the attempted-completion callback, libedit does not fall back to filename completion.
static inline void hashlab_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }

/// The character appended after a unique completion (0 for none: used for paths and directories).
static inline void hashlab_set_completion_append_character(int character) {
    rl_completion_append_character = character;
}

/// Configures libedit for HashLab before the first `readline` call: the `~/.editrc` section name, the characters
/// that separate words for completion (blank, quotes, `;`), and no signal handlers of libedit's own (the shell
/// installs its SIGINT handler). The strings are C literals, so libedit may keep the pointers.
static inline void hashlab_configure_readline(void) {
    rl_readline_name = "hashlab";
    rl_basic_word_break_characters = " \t\n\"';";
    rl_catch_signals = 0;
}

/// The line being edited (valid inside the completion callback).
static inline const char *hashlab_line_buffer(void) { return rl_line_buffer; }

/// The number of entries in the history list.
static inline int hashlab_history_length(void) { return history_length; }

/// The history entry `index` (0-based), or NULL.
static inline const char *hashlab_history_entry(int index) {
    HIST_ENTRY **list = history_list();
    if (list == NULL || index < 0 || index >= history_length) return NULL;
    return list[index] == NULL ? NULL : list[index]->line;
}

/// Replaces libedit's key reader (set before the first `readline` call).
static inline void hashlab_set_getc_function(int (*function)(FILE *)) { rl_getc_function = function; }
