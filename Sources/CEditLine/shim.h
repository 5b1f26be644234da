#include <stdio.h>
#include <histedit.h>

/*
 * Fixed-arity wrappers around libedit's native API (histedit.h). `el_set` and `history` are C-variadic, which Swift
 * cannot call, and Swift 6 refuses to read mutable C globals such as `stdin` ("not concurrency-safe"); so the shell
 * reaches libedit only through these inline functions.
 */

/// A line editor on the standard streams; `name` selects the `name:` lines of `~/.editrc`.
static inline EditLine *hashlab_el_init(const char *name) { return el_init(name, stdin, stdout, stderr); }

/// The function that returns the prompt.
static inline void hashlab_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) { el_set(el, EL_PROMPT, prompt); }

/// The key reader: stores one character and returns 1, or returns 0 at the end of input, -1 on error.
static inline void hashlab_el_set_getc(EditLine *el, el_rfunc_t function) { el_set(el, EL_GETCFN, function); }

/// Key bindings: "emacs" or "vi".
static inline void hashlab_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }

/// Whether libedit installs signal handlers of its own (the shell handles SIGINT itself).
static inline void hashlab_el_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }

/// The history the up and down arrows walk.
static inline void hashlab_el_set_history(EditLine *el, History *history_list) {
    el_set(el, EL_HIST, history, history_list);
}

/// Adds an editor command `name` run by `function`, which returns one of the CC_ codes (what to redraw).
static inline void hashlab_el_add_function(EditLine *el, const char *name, const char *help,
                                           unsigned char (*function)(EditLine *, int)) {
    el_set(el, EL_ADDFN, name, help, function);
}

/// Binds a key sequence (in `bind` notation: "^I", "\\e[3~") to an editor command.
static inline void hashlab_el_bind(EditLine *el, const char *keys, const char *command) {
    el_set(el, EL_BIND, keys, command, NULL);
}

/// The history's capacity in lines.
static inline void hashlab_history_set_size(History *history_list, int size) {
    HistEvent event;
    history(history_list, &event, H_SETSIZE, size);
}

/// Reads a history file; the number of lines read, or -1.
static inline int hashlab_history_load(History *history_list, const char *path) {
    HistEvent event;
    return history(history_list, &event, H_LOAD, path);
}

/// Writes the history to a file; the number of lines written, or -1.
static inline int hashlab_history_save(History *history_list, const char *path) {
    HistEvent event;
    return history(history_list, &event, H_SAVE, path);
}

/// Appends a line as the newest entry.
static inline void hashlab_history_enter(History *history_list, const char *line) {
    HistEvent event;
    history(history_list, &event, H_ENTER, line);
}

/// Removes every entry.
static inline void hashlab_history_clear(History *history_list) {
    HistEvent event;
    history(history_list, &event, H_CLEAR);
}

/// The oldest entry, or NULL when the history is empty; `hashlab_history_newer` then walks towards the newest.
static inline const char *hashlab_history_oldest(History *history_list) {
    HistEvent event;
    return history(history_list, &event, H_LAST) == 0 ? event.str : NULL;
}

/// The entry after the one last returned, or NULL past the newest.
static inline const char *hashlab_history_newer(History *history_list) {
    HistEvent event;
    return history(history_list, &event, H_PREV) == 0 ? event.str : NULL;
}

/// Writes `text` to standard output through the stream libedit draws on, so that the two keep their order; flushed.
static inline void hashlab_el_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}
