/* log.h: leveled logging to stderr (the web server keeps it). */
#ifndef LIVECARD_LOG_H
#define LIVECARD_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG__MAX };

/* log_set_level: messages above this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level l);

/* log_set_ident: program name printed in every line. */
void log_set_ident(const char *ident);

/* log_msg: one line "ident[pid] LEVEL: message". Never pass passwords,
 * tokens or card contents. */
void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* log_level_parse: "error", "warn", "info", "debug" → level; LOG_INFO otherwise. */
enum log_level log_level_parse(const char *s);

#endif
