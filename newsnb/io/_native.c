/*
 * newsnb.io._native: the compiled fast path for clean records.
 *
 * read_records() reads a chunk of files (stat, open, fstat, read: regular
 * files only, never opening anything else) and parses each one with a
 * schema-aware reader of the record format's common case, appending the
 * values straight to column buffers, all with the GIL released, so several
 * threads parse at once.  It accepts a file only when it can prove the
 * Python path (newsnb.io.records with PyYAML's safe loader) gives the same
 * row with no warning and no extra field: block mappings and sequences of
 * the format's known fields, plain and single-line quoted scalars that
 * YAML 1.1 resolves the way the field expects, ISO timestamps.  Anything
 * else -- a tag, an anchor, a comment, a block scalar, a multi-line scalar,
 * a flow mapping, an unknown or repeated key, a value of another type, a
 * number or word YAML 1.1 reads differently, a control character, CR, NUL,
 * invalid UTF-8, a file that is not regular or changes size while read --
 * marks the file "unsure" and leaves it, untouched, to the Python path.
 * A file's values are appended only once the whole file is accepted (the
 * columns are rolled back otherwise).
 *
 * Nothing here raises for a file: the worst it can do with any input is
 * say "unsure".  tests/test_native.py drives it with generated and mutated
 * records and compares every accepted row with the Python path's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(_WIN32)
#error "newsnb's compiled reader is POSIX-only; the pure-Python path serves Windows"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h> /* malloc_trim */
#endif

/* ---------------------------------------------------------------- buffers -- */

typedef struct {
    char *p;
    size_t len, cap;
} Bytes;

typedef struct {
    int64_t *p;
    size_t n, cap;
} I64s;

typedef struct {
    uint8_t *p;
    size_t n, cap;
} U8s;

static int grow(void **p, size_t *cap, size_t need, size_t item) {
    if (need <= *cap) return 0;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need) {
        if (cap2 > SIZE_MAX / 2 / item) return -1;
        cap2 *= 2;
    }
    void *q = realloc(*p, cap2 * item);
    if (!q) return -1;
    *p = q;
    *cap = cap2;
    return 0;
}

static int bytes_put(Bytes *b, const char *s, size_t n) {
    if (grow((void **)&b->p, &b->cap, b->len + n, 1)) return -1;
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static int i64_put(I64s *a, int64_t v) {
    if (grow((void **)&a->p, &a->cap, a->n + 1, sizeof(int64_t))) return -1;
    a->p[a->n++] = v;
    return 0;
}

static int u8_put(U8s *a, uint8_t v) {
    if (grow((void **)&a->p, &a->cap, a->n + 1, 1)) return -1;
    a->p[a->n++] = v;
    return 0;
}

/* A nullable text column: Arrow's large_string layout (offsets n + 1) + validity bytes. */
typedef struct {
    I64s off;
    Bytes data;
    U8s valid;
} StrCol;

/* A nullable int64 or bool column: values + validity bytes. */
typedef struct {
    I64s v;
    U8s valid;
} IntCol;

/* ------------------------------------------------------------- the tables -- */

enum {
    A_TITLE, A_EXCERPT, A_CATEGORY, A_TYPE, A_PROVIDER_NAME, A_PROVIDER_DOMAIN,
    A_PROVIDER_LOGO_URL, A_WEB_URL, A_ORIGINAL_URL, A_AMP_URL, A_CDN_AMP_URL,
    A_IMAGE_URL, A_FEATURED_CONTENT, A_BODY, A_SECURED, A_NSTR
};
static const char *A_STR_NAMES[A_NSTR] = {
    "title", "excerpt", "category", "type", "provider_name", "provider_domain",
    "provider_logo_url", "web_url", "original_url", "amp_url", "cdn_amp_url",
    "image_url", "featured_content", "body", "secured",
};
enum { A_PUBLISHED_AT, A_QUALITY, A_HEAT, A_PUBLISHED, A_N_IMAGES, A_N_RELATED, A_FILE, A_NINT };
static const char *A_INT_NAMES[A_NINT] = {
    "published_at", "quality", "heat", "published", "n_images", "n_related", "file",
};

enum { I_URL, I_TITLE, I_NSTR };
static const char *I_STR_NAMES[I_NSTR] = {"url", "title"};
enum { I_ARTICLE, I_POSITION, I_WIDTH, I_HEIGHT, I_IS_CACHED, I_NINT };
static const char *I_INT_NAMES[I_NINT] = {"article", "position", "width", "height", "is_cached"};

enum {
    R_TITLE, R_EXCERPT, R_WEB_URL, R_AMP_URL, R_CDN_AMP_URL, R_TYPE, R_PROVIDER_NAME,
    R_PROVIDER_DOMAIN, R_IMAGE_URL, R_NSTR
};
static const char *R_STR_NAMES[R_NSTR] = {
    "title", "excerpt", "web_url", "amp_url", "cdn_amp_url", "type", "provider_name",
    "provider_domain", "image_url",
};
enum { R_ARTICLE, R_POSITION, R_PUBLISHED_AT, R_QUALITY, R_N_IMAGES, R_NINT };
static const char *R_INT_NAMES[R_NINT] = {"article", "position", "published_at", "quality", "n_images"};

/* per input file */
enum { F_STATUS, F_SIZE, F_MTIME, F_CTIME, F_INO, F_READ_NS, F_RAW_START, F_RAW_LEN, F_NCOL };
static const char *F_NAMES[F_NCOL] = {
    "status", "size", "mtime_ns", "ctime_ns", "ino", "read_ns", "raw_start", "raw_len",
};

typedef struct {
    StrCol a_str[A_NSTR];
    IntCol a_int[A_NINT];
    I64s topic_off; /* per article, n + 1 */
    StrCol topic;   /* the topics, flattened (never null) */
    StrCol i_str[I_NSTR];
    IntCol i_int[I_NINT];
    StrCol r_str[R_NSTR];
    IntCol r_int[R_NINT];
    I64s f[F_NCOL];
    Bytes raw; /* the bytes of files whose digest is wanted */
    size_t n_articles;
} Tables;

typedef struct {
    size_t off_n, data_len, valid_n;
} StrMark;

typedef struct {
    size_t v_n, valid_n;
} IntMark;

typedef struct {
    StrMark a_str[A_NSTR];
    IntMark a_int[A_NINT];
    size_t topic_off_n;
    StrMark topic;
    StrMark i_str[I_NSTR];
    IntMark i_int[I_NINT];
    StrMark r_str[R_NSTR];
    IntMark r_int[R_NINT];
    size_t n_articles;
} Mark;

static StrMark str_mark(StrCol *c) { return (StrMark){c->off.n, c->data.len, c->valid.n}; }
static void str_back(StrCol *c, StrMark m) { c->off.n = m.off_n; c->data.len = m.data_len; c->valid.n = m.valid_n; }
static IntMark int_mark(IntCol *c) { return (IntMark){c->v.n, c->valid.n}; }
static void int_back(IntCol *c, IntMark m) { c->v.n = m.v_n; c->valid.n = m.valid_n; }

static void mark(Tables *t, Mark *m) {
    for (int i = 0; i < A_NSTR; i++) m->a_str[i] = str_mark(&t->a_str[i]);
    for (int i = 0; i < A_NINT; i++) m->a_int[i] = int_mark(&t->a_int[i]);
    m->topic_off_n = t->topic_off.n;
    m->topic = str_mark(&t->topic);
    for (int i = 0; i < I_NSTR; i++) m->i_str[i] = str_mark(&t->i_str[i]);
    for (int i = 0; i < I_NINT; i++) m->i_int[i] = int_mark(&t->i_int[i]);
    for (int i = 0; i < R_NSTR; i++) m->r_str[i] = str_mark(&t->r_str[i]);
    for (int i = 0; i < R_NINT; i++) m->r_int[i] = int_mark(&t->r_int[i]);
    m->n_articles = t->n_articles;
}

static void roll_back(Tables *t, const Mark *m) {
    for (int i = 0; i < A_NSTR; i++) str_back(&t->a_str[i], m->a_str[i]);
    for (int i = 0; i < A_NINT; i++) int_back(&t->a_int[i], m->a_int[i]);
    t->topic_off.n = m->topic_off_n;
    str_back(&t->topic, m->topic);
    for (int i = 0; i < I_NSTR; i++) str_back(&t->i_str[i], m->i_str[i]);
    for (int i = 0; i < I_NINT; i++) int_back(&t->i_int[i], m->i_int[i]);
    for (int i = 0; i < R_NSTR; i++) str_back(&t->r_str[i], m->r_str[i]);
    for (int i = 0; i < R_NINT; i++) int_back(&t->r_int[i], m->r_int[i]);
    t->n_articles = m->n_articles;
}

static int str_init(StrCol *c) { return i64_put(&c->off, 0); }

static void str_free(StrCol *c) {
    free(c->off.p);
    free(c->data.p);
    free(c->valid.p);
}

static void int_free(IntCol *c) {
    free(c->v.p);
    free(c->valid.p);
}

static int tables_init(Tables *t) {
    memset(t, 0, sizeof *t);
    int bad = 0;
    for (int i = 0; i < A_NSTR; i++) bad |= str_init(&t->a_str[i]);
    bad |= i64_put(&t->topic_off, 0);
    bad |= str_init(&t->topic);
    for (int i = 0; i < I_NSTR; i++) bad |= str_init(&t->i_str[i]);
    for (int i = 0; i < R_NSTR; i++) bad |= str_init(&t->r_str[i]);
    return bad;
}

static void tables_free(Tables *t) {
    for (int i = 0; i < A_NSTR; i++) str_free(&t->a_str[i]);
    for (int i = 0; i < A_NINT; i++) int_free(&t->a_int[i]);
    free(t->topic_off.p);
    str_free(&t->topic);
    for (int i = 0; i < I_NSTR; i++) str_free(&t->i_str[i]);
    for (int i = 0; i < I_NINT; i++) int_free(&t->i_int[i]);
    for (int i = 0; i < R_NSTR; i++) str_free(&t->r_str[i]);
    for (int i = 0; i < R_NINT; i++) int_free(&t->r_int[i]);
    for (int i = 0; i < F_NCOL; i++) free(t->f[i].p);
    free(t->raw.p);
}

static int str_null(StrCol *c) {
    return i64_put(&c->off, (int64_t)c->data.len) | u8_put(&c->valid, 0);
}

static int str_raw(StrCol *c, const char *s, size_t n) {
    return bytes_put(&c->data, s, n) | i64_put(&c->off, (int64_t)c->data.len) | u8_put(&c->valid, 1);
}

static int int_put(IntCol *c, int64_t v, int valid) {
    return i64_put(&c->v, valid ? v : 0) | u8_put(&c->valid, (uint8_t)(valid != 0));
}

/* ------------------------------------------------------------------ UTF-8 -- */

/* Valid UTF-8 (Python's strict decoder: no overlongs, surrogates or code points
 * past U+10FFFF), with no NUL and no CR anywhere.  In the front matter
 * (fm = 1) only the characters both YAML readers take alike: \n, printable
 * ASCII, and U+00A0 on except LS, PS, the BOM, U+FFFE and U+FFFF (no tab, no
 * C0 or C1 control, no NEL). */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether none of 8 bytes needs a closer look: no byte >= 0x80, none < 0x20
 * (\n included: it is looked at one by one), none 0x7F.  (Bit tricks on a
 * word; the bytes below 0x80 cannot borrow into each other.) */
static int plain_word(uint64_t w) {
    if (w & HIGHS) return 0;
    uint64_t low = (w - ONES * 0x20) & ~w & HIGHS;              /* some byte < 0x20 */
    uint64_t del = ((w ^ (ONES * 0x7F)) - ONES) & ~(w ^ (ONES * 0x7F)) & HIGHS; /* some 0x7F */
    return !(low | del);
}

static int utf8_ok(const unsigned char *s, size_t n, int fm) {
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (plain_word(w)) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0 || c == '\r') return 0;
            if (fm && c != '\n' && (c < 0x20 || c == 0x7f)) return 0;
            i++;
            continue;
        }
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return 0;
            cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
            if (c == 0xE0 && s[i + 1] < 0xA0) return 0;  /* overlong */
            if (c == 0xED && s[i + 1] > 0x9F) return 0;  /* surrogate */
            cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
                (s[i + 3] & 0xC0) != 0x80)
                return 0;
            if (c == 0xF0 && s[i + 1] < 0x90) return 0;  /* overlong */
            if (c == 0xF4 && s[i + 1] > 0x8F) return 0;  /* past U+10FFFF */
            cp = 0;
            i += 4;
        } else {
            return 0;
        }
        if (fm && cp) {
            if (cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
                cp == 0xFFFF)
                return 0;
        }
    }
    return 1;
}

/* ----------------------------------------------------------------- values -- */

typedef struct {
    const char *s; /* the content, without quotes */
    size_t n;
    char style; /* 'p' plain, 'd' double-quoted, 's' single-quoted */
} Scalar;

#define UNSURE (-1)
#define OOM (-2)
/* Where the reader last gave up on a file (this file's line), per thread: the
 * "why" of parse_bytes(), for tests and for finding what to accept next. */
static __thread int gave_up_at;
#define GIVE_UP (gave_up_at = __LINE__, UNSURE)

static int is_key_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_key_char(char c) { return is_key_start(c) || (c >= '0' && c <= '9'); }
static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* YAML 1.1's words for booleans and null (PyYAML's resolvers). */
static const char *BOOL_TRUE[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
static const char *BOOL_FALSE[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL};
static const char *NULLS[] = {"null", "Null", "NULL", NULL};

static int word_in(const char *s, size_t n, const char **words) {
    for (; *words; words++)
        if ((*words)[0] == s[0] && strlen(*words) == n && memcmp(*words, s, n) == 0) return 1;
    return 0;
}

/* Whether a plain scalar is certainly text to PyYAML's resolvers: it does not
 * start like a number, date, null, merge key or value indicator, and is not a
 * boolean or null word.  (Conservative: "5 ways" is text, but is left to the
 * Python path.) */
static int plain_is_text(const char *s, size_t n) {
    if (n == 0) return 0;
    if (strchr("-+0123456789.~<=", s[0])) return 0;
    if (n <= 5 && (word_in(s, n, BOOL_TRUE) || word_in(s, n, BOOL_FALSE) || word_in(s, n, NULLS)))
        return 0;
    return 1;
}

/* The first character of a plain scalar may not be an indicator (YAML reads
 * "- x", "? x", "&a", "*a", "!t", "|", ">", "%", "@", "`" otherwise). */
static int plain_start_ok(char c) { return !strchr("-?:,[]{}#&*!|>'\"%@`", c) && c != ' '; }

/* Scan a double-quoted scalar opening at s (s[0] == '"') within [s, end):
 * only single-line ones with the escapes \" \\ \/ \n \r \t and \uXXXX (not a
 * surrogate).  *close is set past the closing quote. */
static int scan_double(const char *s, const char *end, Scalar *out, const char **close) {
    const char *p = s + 1;
    while (p < end) {
        char c = *p;
        if (c == '\n') return GIVE_UP;
        if (c == '"') {
            out->s = s + 1;
            out->n = (size_t)(p - s - 1);
            out->style = 'd';
            *close = p + 1;
            return 0;
        }
        if (c == '\\') {
            if (p + 1 >= end) return GIVE_UP;
            char e = p[1];
            if (e == '"' || e == '\\' || e == '/' || e == 'n' || e == 't' || e == 'r') {
                p += 2;
                continue;
            }
            if (e == 'u') {
                if (p + 6 > end) return GIVE_UP;
                int v = 0;
                for (int k = 2; k < 6; k++) {
                    int h = hexval(p[k]);
                    if (h < 0) return GIVE_UP;
                    v = v * 16 + h;
                }
                if (v >= 0xD800 && v <= 0xDFFF) return GIVE_UP;
                p += 6;
                continue;
            }
            return GIVE_UP;
        }
        p++;
    }
    return GIVE_UP;
}

static int scan_single(const char *s, const char *end, Scalar *out, const char **close) {
    const char *p = s + 1;
    while (p < end) {
        char c = *p;
        if (c == '\n') return GIVE_UP;
        if (c == '\'') {
            if (p + 1 < end && p[1] == '\'') {
                p += 2;
                continue;
            }
            out->s = s + 1;
            out->n = (size_t)(p - s - 1);
            out->style = 's';
            *close = p + 1;
            return 0;
        }
        p++;
    }
    return GIVE_UP;
}

static int put_utf8(Bytes *b, uint32_t cp) {
    char buf[4];
    size_t n;
    if (cp < 0x80) {
        buf[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    return bytes_put(b, buf, n);
}

/* Append a scanned scalar's value (quotes and escapes decoded) to `b`. */
static int decode_scalar(const Scalar *v, Bytes *b) {
    if (v->style == 'p') return bytes_put(b, v->s, v->n) ? OOM : 0;
    const char *p = v->s, *end = v->s + v->n;
    while (p < end) {
        /* copy the run up to the next character that needs decoding */
        const char *q = p;
        char special = v->style == 'd' ? '\\' : '\'';
        while (q < end && *q != special) q++;
        if (bytes_put(b, p, (size_t)(q - p))) return OOM;
        if (q >= end) break;
        int bad;
        if (v->style == 's') { /* '' -> ' */
            bad = bytes_put(b, "'", 1);
            p = q + 2;
        } else {
            char e = q[1];
            if (e == 'n') bad = bytes_put(b, "\n", 1);
            else if (e == 't') bad = bytes_put(b, "\t", 1);
            else if (e == 'r') bad = bytes_put(b, "\r", 1);
            else if (e == 'u') {
                uint32_t cp = 0;
                for (int k = 2; k < 6; k++) cp = cp * 16 + (uint32_t)hexval(q[k]);
                bad = put_utf8(b, cp);
                q += 4;
            } else bad = bytes_put(b, &q[1], 1); /* \" \\ \/ */
            p = q + 2;
        }
        if (bad) return OOM;
    }
    return 0;
}

/* Append a scanned scalar's value to a text column. */
static int str_scalar(StrCol *c, const Scalar *v) {
    if (decode_scalar(v, &c->data)) return OOM;
    return (i64_put(&c->off, (int64_t)c->data.len) | u8_put(&c->valid, 1)) ? OOM : 0;
}

/* -------------------------------------------------------------- the lines -- */

typedef struct {
    const char *text, *end; /* the front matter: from the opening line's \n to the closing line's \n */
} Doc;

/* The line starting at p: its indentation (spaces), content start and end. */
typedef struct {
    const char *start, *content, *end; /* end: the \n or doc end */
    int indent;
    int blank;
} Line;

static void line_at(const Doc *d, const char *p, Line *L) {
    L->start = p;
    const char *q = p;
    while (q < d->end && *q == ' ') q++;
    L->content = q;
    L->indent = (int)(q - p);
    const char *e = memchr(q, '\n', (size_t)(d->end - q));
    L->end = e ? e : d->end;
    L->blank = (q == L->end);
}

static const char *next_line(const Doc *d, const Line *L) {
    return L->end < d->end ? L->end + 1 : d->end;
}

/* The next line that is not blank, from p (NULL at the end).  A comment line
 * is UNSURE (*bad). */
static const char *skip_blank(const Doc *d, const char *p, Line *L, int *bad) {
    while (p < d->end) {
        line_at(d, p, L);
        if (!L->blank) {
            if (*L->content == '#') *bad = 1;
            return p;
        }
        p = next_line(d, L);
    }
    return NULL;
}

/* A key at p: [A-Za-z][A-Za-z0-9]* then ':' then a space or the line end.
 * *value: the first non-space after it, or NULL if the line ends there. */
static int scan_key(const char *p, const char *eol, const char **key, size_t *keylen,
                    const char **value) {
    if (p >= eol || !is_key_start(*p)) return GIVE_UP;
    const char *q = p;
    while (q < eol && is_key_char(*q)) q++;
    if (q >= eol || *q != ':') return GIVE_UP;
    *key = p;
    *keylen = (size_t)(q - p);
    q++;
    if (q == eol) {
        *value = NULL;
        return 0;
    }
    if (*q != ' ') return GIVE_UP;
    while (q < eol && *q == ' ') q++;
    *value = q == eol ? NULL : q;
    return 0;
}

static int key_is(const char *k, size_t n, const char *name) {
    return k[0] == name[0] && strlen(name) == n && memcmp(k, name, n) == 0;
}

/* An inline scalar from v to eol (block context): quoted or plain, with
 * nothing but spaces after a closing quote.  Plain: no ": ", no " #", no
 * trailing ':' (YAML would read a key or a comment), no leading indicator. */
static int inline_scalar(const char *v, const char *eol, Scalar *out) {
    const char *close;
    int r;
    if (*v == '"') r = scan_double(v, eol, out, &close);
    else if (*v == '\'') r = scan_single(v, eol, out, &close);
    else {
        if (!plain_start_ok(*v)) return GIVE_UP;
        const char *e = eol;
        while (e > v && e[-1] == ' ') e--;
        for (const char *q = v; q < e; q++) {
            if (*q == ':' && (q + 1 == e || q[1] == ' ')) return GIVE_UP;
            if (*q == '#' && q[-1] == ' ') return GIVE_UP;
        }
        out->s = v;
        out->n = (size_t)(e - v);
        out->style = 'p';
        return 0;
    }
    if (r) return r;
    while (close < eol && *close == ' ') close++;
    return close == eol ? 0 : GIVE_UP;
}

/* A text value: quoted, or plain that YAML 1.1 certainly reads as text. */
static int text_value(const char *v, const char *eol, Scalar *out) {
    if (!v) return GIVE_UP; /* null */
    int r = inline_scalar(v, eol, out);
    if (r) return r;
    if (out->style == 'p' && !plain_is_text(out->s, out->n)) return GIVE_UP;
    return 0;
}

/* A whole number as PyYAML reads it without a warning: 0 or -?[1-9][0-9]* (at
 * most 18 digits), then only spaces. */
static int int_value(const char *v, const char *eol, int64_t *out) {
    if (!v) return GIVE_UP;
    const char *p = v, *e = eol;
    while (e > p && e[-1] == ' ') e--;
    int neg = 0;
    if (p < e && *p == '-') {
        neg = 1;
        p++;
    }
    if (p >= e || e - p > 18) return GIVE_UP;
    if (*p == '0' && (e - p > 1 || neg)) return GIVE_UP; /* 012 is octal in YAML 1.1; -0 */
    int64_t x = 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9') return GIVE_UP;
        x = x * 10 + (*p - '0');
    }
    *out = neg ? -x : x;
    return 0;
}

static int bool_value(const char *v, const char *eol, int64_t *out) {
    if (!v) return GIVE_UP;
    Scalar s;
    int r = inline_scalar(v, eol, &s);
    if (r || s.style != 'p') return GIVE_UP;
    if (word_in(s.s, s.n, BOOL_TRUE)) *out = 1;
    else if (word_in(s.s, s.n, BOOL_FALSE)) *out = 0;
    else return GIVE_UP;
    return 0;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *p, int n, int *out) {
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        x = x * 10 + (p[i] - '0');
    }
    *out = x;
    return 0;
}

#define MIN_US (-62135596800000000LL) /* 0001-01-01T00:00:00Z */
#define MAX_US (253402300799999999LL) /* 9999-12-31T23:59:59.999999Z */

/* A timestamp as microseconds since the epoch in UTC: YYYY-MM-DD (a date:
 * midnight UTC), or YYYY-MM-DDTHH:MM:SS[.f{1,6}][Z|+HH:MM|-HH:MM] (no zone:
 * UTC), a real date and time that stays within the years 1 to 9999 in UTC. */
static int time_value(const char *v, const char *eol, int64_t *out) {
    if (!v) return GIVE_UP;
    Scalar s;
    int r = inline_scalar(v, eol, &s);
    if (r || s.style != 'p') return GIVE_UP;
    const char *p = s.s;
    size_t n = s.n;
    int Y, M, D, h = 0, mi = 0, sec = 0, us = 0, off = 0;
    if (n < 10 || digits(p, 4, &Y) || p[4] != '-' || digits(p + 5, 2, &M) || p[7] != '-' ||
        digits(p + 8, 2, &D))
        return GIVE_UP;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (Y < 1 || M < 1 || M > 12 || D < 1) return GIVE_UP;
    int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (D > mdays[M - 1] + (M == 2 && leap)) return GIVE_UP;
    size_t i = 10;
    if (n > 10) {
        if (n < 19 || p[10] != 'T' || digits(p + 11, 2, &h) || p[13] != ':' ||
            digits(p + 14, 2, &mi) || p[16] != ':' || digits(p + 17, 2, &sec))
            return GIVE_UP;
        if (h > 23 || mi > 59 || sec > 59) return GIVE_UP;
        i = 19;
        if (i < n && p[i] == '.') {
            i++;
            size_t f = 0;
            int frac = 0;
            while (i < n && p[i] >= '0' && p[i] <= '9' && f < 7) {
                frac = frac * 10 + (p[i] - '0');
                i++;
                f++;
            }
            if (f == 0 || f > 6) return GIVE_UP;
            for (; f < 6; f++) frac *= 10;
            us = frac;
        }
        if (i < n && p[i] == 'Z') {
            i++;
        } else if (i < n && (p[i] == '+' || p[i] == '-')) {
            int oh, om;
            if (n - i != 6 || digits(p + i + 1, 2, &oh) || p[i + 3] != ':' ||
                digits(p + i + 4, 2, &om) || oh > 23 || om > 59)
                return GIVE_UP;
            off = (oh * 60 + om) * 60 * (p[i] == '-' ? -1 : 1);
            i += 6;
        }
        if (i != n) return GIVE_UP;
    }
    int64_t t = days_from_civil(Y, M, D) * 86400LL + h * 3600LL + mi * 60LL + sec - off;
    int64_t micro = t * 1000000LL + us;
    if (micro < MIN_US || micro > MAX_US) return GIVE_UP;
    *out = micro;
    return 0;
}

/* ------------------------------------------------------------ the parsing -- */

typedef struct {
    const Doc *d;
    Tables *t;
    Bytes scratch; /* a decoded topic, to find duplicates */
    int64_t article; /* the file's number in the chunk */
} P;

/* Where a block value of a key at column `col` starts: the next non-blank
 * line, if it is indented more than `col` (or, for a sequence, starts with
 * "- " at `col` or more).  Returns that line in *L, or UNSURE. */
static int block_start(P *ps, const char *p, int col, int seq, Line *L, const char **at) {
    int bad = 0;
    const char *q = skip_blank(ps->d, p, L, &bad);
    if (bad || !q) return GIVE_UP; /* a comment, or a null value */
    if (seq) {
        if (L->indent < col || L->content + 1 >= L->end || L->content[0] != '-' ||
            L->content[1] != ' ')
            return GIVE_UP;
    } else if (L->indent <= col) {
        return GIVE_UP;
    }
    *at = q;
    return 0;
}

/* What the first image of a list gives its article or related item. */
typedef struct {
    int n;
    int has_url;
    Scalar url;
} Images;

/* Parse the mapping of one image whose first key starts at `first` (after
 * "- "), entries at column `col`; with `row`, append its row to the images
 * table.  *p: in, the line after the first entry's line; out, the first line
 * after the mapping. */
static int image_map(P *ps, const Line *firstline, const char *first, int col, int64_t position,
                     int row, Scalar *url, int *has_url, const char **p) {
    Tables *t = ps->t;
    unsigned seen = 0;
    Scalar title = {0};
    int64_t width = 0, height = 0, cached = 0;
    const char *at = first;
    Line L = *firstline;
    for (;;) {
        const char *key, *v;
        size_t kn;
        if (scan_key(at, L.end, &key, &kn, &v)) return GIVE_UP;
        unsigned bit;
        int r;
        if (key_is(key, kn, "url")) bit = 1, r = text_value(v, L.end, url);
        else if (key_is(key, kn, "width")) bit = 2, r = int_value(v, L.end, &width);
        else if (key_is(key, kn, "height")) bit = 4, r = int_value(v, L.end, &height);
        else if (key_is(key, kn, "title")) bit = 8, r = text_value(v, L.end, &title);
        else if (key_is(key, kn, "isCached")) bit = 16, r = bool_value(v, L.end, &cached);
        else return GIVE_UP;
        if (r || (seen & bit)) return GIVE_UP;
        seen |= bit;
        /* the next entry of this mapping: a line at exactly `col` */
        int bad = 0;
        const char *q = skip_blank(ps->d, next_line(ps->d, &L), &L, &bad);
        if (bad) return GIVE_UP;
        if (!q || L.indent < col) {
            *p = q ? q : ps->d->end;
            break;
        }
        if (L.indent > col) return GIVE_UP;
        at = L.content;
    }
    *has_url = (seen & 1) != 0;
    if (row) {
        int bad = 0;
        bad |= *has_url ? str_scalar(&t->i_str[I_URL], url) : str_null(&t->i_str[I_URL]);
        bad |= (seen & 8) ? str_scalar(&t->i_str[I_TITLE], &title) : str_null(&t->i_str[I_TITLE]);
        bad |= int_put(&t->i_int[I_ARTICLE], ps->article, 1);
        bad |= int_put(&t->i_int[I_POSITION], position, 1);
        bad |= int_put(&t->i_int[I_WIDTH], width, seen & 2);
        bad |= int_put(&t->i_int[I_HEIGHT], height, seen & 4);
        bad |= int_put(&t->i_int[I_IS_CACHED], cached, seen & 16);
        if (bad) return OOM;
    }
    return 0;
}

/* A block sequence of image mappings (or an inline []) as the value of a key
 * at column `col`.  *p: in, the line after the key's; out, the line after the value. */
static int image_list(P *ps, const char *v, const char *eol, int col, int row, Images *out,
                      const char **p) {
    out->n = 0;
    out->has_url = 0;
    if (v) { /* only [] inline */
        const char *e = eol;
        while (e > v && e[-1] == ' ') e--;
        return (e - v == 2 && v[0] == '[' && v[1] == ']') ? 0 : GIVE_UP;
    }
    Line L;
    const char *q;
    if (block_start(ps, *p, col, 1, &L, &q)) return GIVE_UP;
    int m = L.indent;
    for (;;) {
        /* L: "- key: ..." at indent m */
        const char *c = L.content + 1;
        while (c < L.end && *c == ' ') c++;
        if (c >= L.end) return GIVE_UP;
        int icol = (int)(c - L.start);
        Scalar url;
        int has_url = 0;
        const char *after;
        int r = image_map(ps, &L, c, icol, out->n, row, &url, &has_url, &after);
        if (r) return r;
        if (out->n == 0) {
            out->has_url = has_url;
            out->url = url;
        }
        out->n++;
        if (after >= ps->d->end) {
            *p = after;
            return 0;
        }
        line_at(ps->d, after, &L);
        if (L.indent == m && L.content + 1 < L.end && L.content[0] == '-' && L.content[1] == ' ')
            continue;
        if (L.indent > m || (L.indent == m && m > col)) return GIVE_UP;
        *p = after;
        return 0;
    }
}

/* A provider mapping (name, domain, images) as the block value of a key at
 * column `col`. */
static int provider_map(P *ps, int col, Scalar *name, int *has_name, Scalar *domain,
                        int *has_domain, Images *logos, const char **p) {
    Line L;
    const char *q;
    if (block_start(ps, *p, col, 0, &L, &q)) return GIVE_UP;
    int pc = L.indent;
    unsigned seen = 0;
    logos->n = 0;
    logos->has_url = 0;
    for (;;) {
        const char *key, *v;
        size_t kn;
        if (scan_key(L.content, L.end, &key, &kn, &v)) return GIVE_UP;
        const char *after = next_line(ps->d, &L);
        int r;
        unsigned bit;
        if (key_is(key, kn, "name")) bit = 1, r = text_value(v, L.end, name);
        else if (key_is(key, kn, "domain")) bit = 2, r = text_value(v, L.end, domain);
        else if (key_is(key, kn, "images")) bit = 4, r = image_list(ps, v, L.end, pc, 0, logos, &after);
        else return GIVE_UP;
        if (r || (seen & bit)) return r ? r : GIVE_UP;
        seen |= bit;
        int bad = 0;
        q = skip_blank(ps->d, after, &L, &bad);
        if (bad) return GIVE_UP;
        if (!q || L.indent < pc) {
            *p = q ? q : ps->d->end;
            break;
        }
        if (L.indent > pc) return GIVE_UP;
    }
    *has_name = (seen & 1) != 0;
    *has_domain = (seen & 2) != 0;
    return 0;
}

/* A topic value: text; a duplicate is UNSURE (the Python path warns). */
static int add_topic(P *ps, const Scalar *s, size_t first) {
    Tables *t = ps->t;
    if (s->style == 'p' ? !plain_is_text(s->s, s->n) : 0) return GIVE_UP;
    ps->scratch.len = 0;
    if (decode_scalar(s, &ps->scratch)) return OOM;
    StrCol *c = &t->topic;
    for (size_t i = first; i + 1 < c->off.n; i++) {
        size_t a = (size_t)c->off.p[i], b = (size_t)c->off.p[i + 1];
        if (b - a == ps->scratch.len && memcmp(c->data.p + a, ps->scratch.p, b - a) == 0)
            return GIVE_UP;
    }
    return str_raw(c, ps->scratch.p, ps->scratch.len) ? OOM : 0;
}

/* topics: [a, "b"] inline, or a block sequence of text values. */
static int topics_value(P *ps, const char *v, const char *eol, int col, const char **p) {
    Tables *t = ps->t;
    size_t first = t->topic.off.n - 1;
    if (v) {
        if (*v != '[') return GIVE_UP;
        const char *q = v + 1;
        while (q < eol && *q == ' ') q++;
        if (q < eol && *q == ']') {
            q++;
        } else {
            for (;;) {
                Scalar s;
                const char *close;
                if (q >= eol) return GIVE_UP;
                if (*q == '"' || *q == '\'') {
                    int r = *q == '"' ? scan_double(q, eol, &s, &close) : scan_single(q, eol, &s, &close);
                    if (r) return r;
                    q = close;
                } else {
                    if (!plain_start_ok(*q)) return GIVE_UP;
                    const char *e = q;
                    while (e < eol && *e != ',' && *e != ']') {
                        if (strchr(":#[]{}", *e)) return GIVE_UP;
                        e++;
                    }
                    const char *te = e;
                    while (te > q && te[-1] == ' ') te--;
                    s.s = q;
                    s.n = (size_t)(te - q);
                    s.style = 'p';
                    q = e;
                }
                int r = add_topic(ps, &s, first);
                if (r) return r;
                while (q < eol && *q == ' ') q++;
                if (q < eol && *q == ',') {
                    q++;
                    while (q < eol && *q == ' ') q++;
                    continue;
                }
                if (q < eol && *q == ']') {
                    q++;
                    break;
                }
                return GIVE_UP;
            }
        }
        while (q < eol && *q == ' ') q++;
        return q == eol ? 0 : GIVE_UP;
    }
    Line L;
    const char *q;
    if (block_start(ps, *p, col, 1, &L, &q)) return GIVE_UP;
    int m = L.indent;
    for (;;) {
        const char *c = L.content + 1;
        while (c < L.end && *c == ' ') c++;
        if (c >= L.end) return GIVE_UP; /* a null topic */
        Scalar s;
        int r = inline_scalar(c, L.end, &s);
        if (r) return r;
        r = add_topic(ps, &s, first);
        if (r) return r;
        int bad = 0;
        q = skip_blank(ps->d, next_line(ps->d, &L), &L, &bad);
        if (bad) return GIVE_UP;
        if (!q) {
            *p = ps->d->end;
            return 0;
        }
        if (L.indent == m && L.content + 1 < L.end && L.content[0] == '-' && L.content[1] == ' ')
            continue;
        if (L.indent > m || (L.indent == m && m > col)) return GIVE_UP;
        *p = q;
        return 0;
    }
}

/* One related item: a mapping whose first key starts at `first`, entries at `col`. */
static int related_map(P *ps, const Line *firstline, const char *first, int col, int64_t position,
                       const char **p) {
    Tables *t = ps->t;
    enum { RK_TITLE, RK_EXCERPT, RK_WEB, RK_AMP, RK_CDN, RK_TYPE, RK_NTEXT };
    static const char *keys[RK_NTEXT] = {"title", "excerpt", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type"};
    static const int cols[RK_NTEXT] = {R_TITLE, R_EXCERPT, R_WEB_URL, R_AMP_URL, R_CDN_AMP_URL, R_TYPE};
    Scalar text[RK_NTEXT];
    unsigned seen = 0;
    Scalar pname = {0}, pdomain = {0};
    int has_pname = 0, has_pdomain = 0;
    Images images = {0}, logos;
    int64_t when = 0, quality = 0;
    const char *at = first;
    Line L = *firstline;
    for (;;) {
        const char *key, *v;
        size_t kn;
        if (scan_key(at, L.end, &key, &kn, &v)) return GIVE_UP;
        const char *after = next_line(ps->d, &L);
        int r = UNSURE;
        unsigned bit = 0;
        for (int k = 0; k < RK_NTEXT; k++)
            if (key_is(key, kn, keys[k])) {
                bit = 1u << k;
                r = text_value(v, L.end, &text[k]);
                break;
            }
        if (!bit) {
            if (key_is(key, kn, "publishedDateTime")) bit = 1u << 8, r = time_value(v, L.end, &when);
            else if (key_is(key, kn, "quality")) bit = 1u << 9, r = int_value(v, L.end, &quality);
            else if (key_is(key, kn, "provider")) {
                bit = 1u << 10;
                r = v ? GIVE_UP
                      : provider_map(ps, col, &pname, &has_pname, &pdomain, &has_pdomain, &logos, &after);
            } else if (key_is(key, kn, "images")) {
                bit = 1u << 11;
                r = image_list(ps, v, L.end, col, 0, &images, &after);
            } else return GIVE_UP;
        }
        if (r) return r;
        if (seen & bit) return GIVE_UP;
        seen |= bit;
        int bad = 0;
        const char *q = skip_blank(ps->d, after, &L, &bad);
        if (bad) return GIVE_UP;
        if (!q || L.indent < col) {
            *p = q ? q : ps->d->end;
            break;
        }
        if (L.indent > col) return GIVE_UP;
        at = L.content;
    }
    int bad = 0;
    for (int k = 0; k < RK_NTEXT; k++)
        bad |= (seen & (1u << k)) ? str_scalar(&t->r_str[cols[k]], &text[k]) : str_null(&t->r_str[cols[k]]);
    bad |= has_pname ? str_scalar(&t->r_str[R_PROVIDER_NAME], &pname) : str_null(&t->r_str[R_PROVIDER_NAME]);
    bad |= has_pdomain ? str_scalar(&t->r_str[R_PROVIDER_DOMAIN], &pdomain)
                       : str_null(&t->r_str[R_PROVIDER_DOMAIN]);
    bad |= images.has_url ? str_scalar(&t->r_str[R_IMAGE_URL], &images.url) : str_null(&t->r_str[R_IMAGE_URL]);
    bad |= int_put(&t->r_int[R_ARTICLE], ps->article, 1);
    bad |= int_put(&t->r_int[R_POSITION], position, 1);
    bad |= int_put(&t->r_int[R_PUBLISHED_AT], when, seen & (1u << 8));
    bad |= int_put(&t->r_int[R_QUALITY], quality, seen & (1u << 9));
    bad |= int_put(&t->r_int[R_N_IMAGES], images.n, 1);
    return bad ? OOM : 0;
}

static int related_list(P *ps, const char *v, const char *eol, int col, int64_t *count,
                        const char **p) {
    *count = 0;
    if (v) {
        const char *e = eol;
        while (e > v && e[-1] == ' ') e--;
        return (e - v == 2 && v[0] == '[' && v[1] == ']') ? 0 : GIVE_UP;
    }
    Line L;
    const char *q;
    if (block_start(ps, *p, col, 1, &L, &q)) return GIVE_UP;
    int m = L.indent;
    for (;;) {
        const char *c = L.content + 1;
        while (c < L.end && *c == ' ') c++;
        if (c >= L.end) return GIVE_UP;
        const char *after;
        int r = related_map(ps, &L, c, (int)(c - L.start), *count, &after);
        if (r) return r;
        (*count)++;
        if (after >= ps->d->end) {
            *p = after;
            return 0;
        }
        line_at(ps->d, after, &L);
        if (L.indent == m && L.content + 1 < L.end && L.content[0] == '-' && L.content[1] == ' ')
            continue;
        if (L.indent > m || (L.indent == m && m > col)) return GIVE_UP;
        *p = after;
        return 0;
    }
}

/* The top-level keys and the text columns they fill. */
static const struct {
    const char *key;
    int col;
} TEXT_KEYS[] = {
    {"category", A_CATEGORY}, {"title", A_TITLE}, {"excerpt", A_EXCERPT},
    {"originalUrl", A_ORIGINAL_URL}, {"webUrl", A_WEB_URL}, {"ampWebUrl", A_AMP_URL},
    {"cdnAmpWebUrl", A_CDN_AMP_URL}, {"type", A_TYPE}, {"featuredContent", A_FEATURED_CONTENT},
    {"secured", A_SECURED},
};
#define N_TEXT_KEYS (sizeof TEXT_KEYS / sizeof TEXT_KEYS[0])

/* The front matter [d->text, d->end) and the body [body, body_end): one
 * article row (and its topics, images and related rows), or UNSURE. */
static int parse_record(P *ps, const char *body, const char *body_end) {
    const Doc *d = ps->d;
    Tables *t = ps->t;
    uint32_t seen = 0;
    Scalar text[N_TEXT_KEYS];
    Scalar pname = {0}, pdomain = {0};
    int has_pname = 0, has_pdomain = 0;
    Images logos = {0}, images = {0};
    int64_t when = 0, quality = 0, heat = 0, published = 0, n_related = 0;
    const char *p = d->text < d->end ? d->text + 1 : d->end; /* past the opening line's \n */
    for (;;) {
        Line L;
        int bad = 0;
        const char *q = skip_blank(d, p, &L, &bad);
        if (bad) return GIVE_UP;
        if (!q) break;
        if (L.indent != 0) return GIVE_UP;
        const char *key, *v;
        size_t kn;
        if (scan_key(L.content, L.end, &key, &kn, &v)) return GIVE_UP;
        p = next_line(d, &L);
        int r = UNSURE;
        uint32_t bit = 0;
        for (size_t k = 0; k < N_TEXT_KEYS; k++)
            if (key_is(key, kn, TEXT_KEYS[k].key)) {
                bit = 1u << k;
                r = text_value(v, L.end, &text[k]);
                break;
            }
        if (!bit) {
            if (key_is(key, kn, "publishedDateTime")) bit = 1u << 16, r = time_value(v, L.end, &when);
            else if (key_is(key, kn, "quality")) bit = 1u << 17, r = int_value(v, L.end, &quality);
            else if (key_is(key, kn, "heat")) bit = 1u << 18, r = int_value(v, L.end, &heat);
            else if (key_is(key, kn, "published")) bit = 1u << 19, r = bool_value(v, L.end, &published);
            else if (key_is(key, kn, "provider")) {
                bit = 1u << 20;
                r = v ? GIVE_UP : provider_map(ps, 0, &pname, &has_pname, &pdomain, &has_pdomain, &logos, &p);
            } else if (key_is(key, kn, "topics")) {
                bit = 1u << 21;
                r = topics_value(ps, v, L.end, 0, &p);
            } else if (key_is(key, kn, "images")) {
                bit = 1u << 22;
                r = image_list(ps, v, L.end, 0, 1, &images, &p);
            } else if (key_is(key, kn, "related")) {
                bit = 1u << 23;
                r = related_list(ps, v, L.end, 0, &n_related, &p);
            } else return GIVE_UP; /* a field the format does not name: extra */
        }
        if (r) return r;
        if (seen & bit) return GIVE_UP; /* a duplicate key: the Python path warns */
        seen |= bit;
    }
    /* title and publishedDateTime are required (the Python path warns otherwise) */
    if (!(seen & (1u << 1)) || !(seen & (1u << 16))) return GIVE_UP;
    int bad = 0;
    for (size_t k = 0; k < N_TEXT_KEYS; k++) {
        StrCol *c = &t->a_str[TEXT_KEYS[k].col];
        bad |= (seen & (1u << k)) ? str_scalar(c, &text[k]) : str_null(c);
    }
    bad |= has_pname ? str_scalar(&t->a_str[A_PROVIDER_NAME], &pname) : str_null(&t->a_str[A_PROVIDER_NAME]);
    bad |= has_pdomain ? str_scalar(&t->a_str[A_PROVIDER_DOMAIN], &pdomain)
                       : str_null(&t->a_str[A_PROVIDER_DOMAIN]);
    bad |= logos.has_url ? str_scalar(&t->a_str[A_PROVIDER_LOGO_URL], &logos.url)
                         : str_null(&t->a_str[A_PROVIDER_LOGO_URL]);
    bad |= images.has_url ? str_scalar(&t->a_str[A_IMAGE_URL], &images.url) : str_null(&t->a_str[A_IMAGE_URL]);
    bad |= str_raw(&t->a_str[A_BODY], body, (size_t)(body_end - body));
    bad |= int_put(&t->a_int[A_PUBLISHED_AT], when, 1);
    bad |= int_put(&t->a_int[A_QUALITY], quality, seen & (1u << 17));
    bad |= int_put(&t->a_int[A_HEAT], heat, (seen & (1u << 18)) && heat != -1); /* -1: unknown */
    bad |= int_put(&t->a_int[A_PUBLISHED], published, seen & (1u << 19));
    bad |= int_put(&t->a_int[A_N_IMAGES], images.n, 1);
    bad |= int_put(&t->a_int[A_N_RELATED], n_related, 1);
    bad |= int_put(&t->a_int[A_FILE], ps->article, 1);
    bad |= i64_put(&t->topic_off, (int64_t)(t->topic.off.n - 1));
    if (bad) return OOM;
    t->n_articles++;
    return 0;
}

/* A whole file's bytes -> a row, or UNSURE: the front matter split exactly as
 * newsnb.io.records does it (the first line is ---, the front matter ends at
 * the next line made of dashes), the body stripped of its blank lines. */
static int parse_file(P *ps, const char *s, size_t n) {
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF) {
        s += 3;
        n -= 3;
    }
    if (n < 4 || memcmp(s, "---\n", 4) != 0) return GIVE_UP;
    const char *end = s + n;
    const char *pos = s + 3; /* the opening line's \n */
    const char *close = NULL, *body = end;
    for (;;) {
        const char *at = NULL;
        for (const char *q = pos; q + 3 < end; q++) {
            q = memchr(q, '\n', (size_t)(end - q - 3));
            if (!q) break;
            if (q[1] == '-' && q[2] == '-' && q[3] == '-') {
                at = q;
                break;
            }
        }
        if (!at) return GIVE_UP; /* never closed */
        const char *e = at + 4;
        while (e < end && *e == '-') e++;
        while (e < end && (*e == ' ' || *e == '\t')) e++;
        if (e == end || *e == '\n') {
            close = at;
            body = e == end ? end : e + 1;
            break;
        }
        return GIVE_UP; /* "--- x": YAML would read a second document */
    }
    Doc doc = {s + 3, close + 1};
    if (!utf8_ok((const unsigned char *)s, (size_t)(close + 1 - s), 1)) return GIVE_UP;
    if (!utf8_ok((const unsigned char *)close + 1, (size_t)(end - close - 1), 0)) return GIVE_UP;
    while (body < end && *body == '\n') body++;
    const char *body_end = end;
    while (body_end > body && body_end[-1] == '\n') body_end--;
    ps->d = &doc;
    Mark m;
    mark(ps->t, &m);
    int r = parse_record(ps, body, body_end);
    if (r) roll_back(ps->t, &m);
    ps->d = NULL;
    return r;
}

/* ------------------------------------------------------------ the reading -- */

enum { ST_CLEAN = 0, ST_UNSURE = 1 };

#define RACY_NS 2000000000LL

/* The folder of the last file opened, kept open: files come sorted by id, so a
 * folder's files come one after the other, and a file named relative to its
 * folder's descriptor costs the kernel one path component to look up, not all. */
typedef struct {
    Bytes dir;
    int fd;
} DirCache;

#ifdef O_PATH
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

/* The descriptor to name `path` from and the name to use: its folder's (and its
 * last component) when that folder can be opened, else AT_FDCWD and `path`. */
static int dir_of(DirCache *dc, const char *path, const char **name) {
    const char *slash = strrchr(path, '/');
    *name = path;
    if (!slash || slash == path || slash[1] == '\0') return AT_FDCWD;
    size_t n = (size_t)(slash - path);
    if (dc->fd >= 0 && dc->dir.len == n && memcmp(dc->dir.p, path, n) == 0) {
        *name = slash + 1;
        return dc->fd;
    }
    if (dc->fd >= 0) close(dc->fd);
    dc->fd = -1;
    dc->dir.len = 0;
    if (bytes_put(&dc->dir, path, n) || bytes_put(&dc->dir, "", 1)) return AT_FDCWD;
    dc->dir.len = n;
    dc->fd = open(dc->dir.p, DIR_FLAGS);
    if (dc->fd < 0) return AT_FDCWD;
    *name = slash + 1;
    return dc->fd;
}

static void dir_free(DirCache *dc) {
    if (dc->fd >= 0) close(dc->fd);
    free(dc->dir.p);
}

/* Read one file (a regular file only, never opening anything else) and parse
 * it; record its status and stamps. */
static int one_file(P *ps, DirCache *dc, const char *path, int64_t max_size, int digests,
                    int64_t read_ns, Bytes *buf) {
    Tables *t = ps->t;
    struct stat st;
    int status = ST_UNSURE;
    int64_t size = -1, mt = -1, ct = -1, ino = -1, raw_start = -1, raw_len = -1;
    int fd = -1;
    const char *name;
    int at = dir_of(dc, path, &name);
    if (fstatat(at, name, &st, 0) == 0 && S_ISREG(st.st_mode) && st.st_size <= max_size) {
        fd = openat(at, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    }
    if (fd >= 0) {
        struct stat fs;
        if (fstat(fd, &fs) == 0 && S_ISREG(fs.st_mode) && fs.st_size <= max_size) {
            size_t want = (size_t)fs.st_size;
            if (grow((void **)&buf->p, &buf->cap, want + 1, 1) == 0) {
                size_t got = 0;
                for (;;) {
                    ssize_t r = read(fd, buf->p + got, want + 1 - got);
                    if (r < 0 && errno == EINTR) continue;
                    if (r <= 0) {
                        if (r < 0) got = want + 1; /* an error: leave it to the Python path */
                        break;
                    }
                    got += (size_t)r;
                    if (got > want) break; /* it grew: the Python path reads it whole */
                    /* a regular file's read comes up short only at its end: one more
                     * read to see that end would cost a system call per file */
                    if (got == want) break;
                }
                if (got == want) {
                    size = fs.st_size;
                    mt = (int64_t)fs.st_mtim.tv_sec * 1000000000LL + fs.st_mtim.tv_nsec;
                    ct = (int64_t)fs.st_ctim.tv_sec * 1000000000LL + fs.st_ctim.tv_nsec;
                    ino = (int64_t)fs.st_ino;
                    int r = parse_file(ps, buf->p, got);
                    if (r == OOM) {
                        close(fd);
                        return OOM;
                    }
                    if (r == 0) {
                        status = ST_CLEAN;
                        int64_t changed = mt > ct ? mt : ct;
                        if (digests && (digests == 2 || changed >= read_ns - RACY_NS || ino == 0)) {
                            raw_start = (int64_t)t->raw.len;
                            raw_len = (int64_t)got;
                            if (bytes_put(&t->raw, buf->p, got)) {
                                close(fd);
                                return OOM;
                            }
                        }
                    }
                }
            }
        }
        close(fd);
    }
    if (status != ST_CLEAN) size = mt = ct = ino = raw_start = raw_len = -1, read_ns = -1;
    int64_t vals[F_NCOL] = {status, size, mt, ct, ino, read_ns, raw_start, raw_len};
    for (int i = 0; i < F_NCOL; i++)
        if (i64_put(&t->f[i], vals[i])) return OOM;
    return 0;
}

/* ------------------------------------------------------- the Python module -- */

/* A block of memory handed to Python without a copy (the buffer protocol):
 * pyarrow wraps it as an Arrow buffer and keeps this object alive. */
typedef struct {
    PyObject_HEAD
    void *p;
    Py_ssize_t n;
} Block;

static void block_dealloc(Block *b) {
    free(b->p);
    Py_TYPE(b)->tp_free((PyObject *)b);
}

static int block_getbuffer(Block *b, Py_buffer *view, int flags) {
    static char empty = 0;
    return PyBuffer_FillInfo(view, (PyObject *)b, b->p ? b->p : &empty, b->n, 1, flags);
}

static PyBufferProcs block_as_buffer = {(getbufferproc)block_getbuffer, NULL};

static PyTypeObject BlockType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "newsnb.io._native.Block",
    .tp_basicsize = sizeof(Block),
    .tp_dealloc = (destructor)block_dealloc,
    .tp_as_buffer = &block_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "memory owned by newsnb's compiled reader, exposed as a buffer",
};

/* Hand `*p` (n bytes) to a new Block; *p is then owned by it. */
static PyObject *block_of(void **p, size_t n) {
    Block *b = PyObject_New(Block, &BlockType);
    if (!b) return NULL;
    b->p = *p;
    b->n = (Py_ssize_t)n;
    *p = NULL;
    return (PyObject *)b;
}

static int put_block(PyObject *dict, const char *name, void **p, size_t n) {
    PyObject *b = block_of(p, n);
    if (!b) return -1;
    int r = PyDict_SetItemString(dict, name, b);
    Py_DECREF(b);
    return r;
}

static PyObject *str_col_dict(StrCol *c) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    size_t n = c->valid.n;
    if (put_block(d, "offsets", (void **)&c->off.p, (n + 1) * sizeof(int64_t)) ||
        put_block(d, "data", (void **)&c->data.p, c->data.len) ||
        put_block(d, "valid", (void **)&c->valid.p, n)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *int_col_dict(IntCol *c) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    size_t n = c->valid.n;
    if (put_block(d, "values", (void **)&c->v.p, n * sizeof(int64_t)) ||
        put_block(d, "valid", (void **)&c->valid.p, n)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static int add_col(PyObject *table, const char *name, PyObject *col) {
    if (!col) return -1;
    int r = PyDict_SetItemString(table, name, col);
    Py_DECREF(col);
    return r;
}

static PyObject *result_of(Tables *t, size_t n_files) {
    PyObject *out = PyDict_New(), *a = NULL, *im = NULL, *rel = NULL, *files = NULL;
    if (!out) return NULL;
    if (!(a = PyDict_New()) || !(im = PyDict_New()) || !(rel = PyDict_New()) || !(files = PyDict_New()))
        goto fail;
    for (int i = 0; i < A_NSTR; i++)
        if (add_col(a, A_STR_NAMES[i], str_col_dict(&t->a_str[i]))) goto fail;
    for (int i = 0; i < A_NINT; i++)
        if (add_col(a, A_INT_NAMES[i], int_col_dict(&t->a_int[i]))) goto fail;
    if (add_col(a, "topics", str_col_dict(&t->topic))) goto fail;
    if (put_block(a, "topics_offsets", (void **)&t->topic_off.p, t->topic_off.n * sizeof(int64_t)))
        goto fail;
    for (int i = 0; i < I_NSTR; i++)
        if (add_col(im, I_STR_NAMES[i], str_col_dict(&t->i_str[i]))) goto fail;
    for (int i = 0; i < I_NINT; i++)
        if (add_col(im, I_INT_NAMES[i], int_col_dict(&t->i_int[i]))) goto fail;
    for (int i = 0; i < R_NSTR; i++)
        if (add_col(rel, R_STR_NAMES[i], str_col_dict(&t->r_str[i]))) goto fail;
    for (int i = 0; i < R_NINT; i++)
        if (add_col(rel, R_INT_NAMES[i], int_col_dict(&t->r_int[i]))) goto fail;
    for (int i = 0; i < F_NCOL; i++)
        if (put_block(files, F_NAMES[i], (void **)&t->f[i].p, n_files * sizeof(int64_t))) goto fail;
    if (put_block(files, "raw", (void **)&t->raw.p, t->raw.len)) goto fail;
    if (PyDict_SetItemString(out, "articles", a) || PyDict_SetItemString(out, "images", im) ||
        PyDict_SetItemString(out, "related", rel) || PyDict_SetItemString(out, "files", files))
        goto fail;
    PyObject *na = PyLong_FromSize_t(t->n_articles);
    if (!na || PyDict_SetItemString(out, "n_articles", na)) {
        Py_XDECREF(na);
        goto fail;
    }
    Py_DECREF(na);
    Py_DECREF(a);
    Py_DECREF(im);
    Py_DECREF(rel);
    Py_DECREF(files);
    return out;
fail:
    Py_XDECREF(a);
    Py_XDECREF(im);
    Py_XDECREF(rel);
    Py_XDECREF(files);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(read_records_doc,
"read_records(data, offsets, max_file_size, digests, read_ns) -> dict\n\n"
"Read and parse the files named by an Arrow binary array of paths (its data\n"
"buffer and int64 offsets) with the GIL released.  Returns the columns of the clean records'\n"
"articles, images and related rows (as buffers), and per file its status\n"
"(0 clean, 1 unsure: for the Python path), stamps, read time (`read_ns`, a\n"
"time taken before the first file is opened: earlier than each file's read,\n"
"so a file it calls racily clean is never missed) and, where `digests` asks\n"
"(1: racily-clean files, 2: all), where its bytes are in `raw`.");

static PyObject *read_records(PyObject *self, PyObject *args) {
    Py_buffer data, offsets;
    long long max_size, read_ns;
    int digests;
    if (!PyArg_ParseTuple(args, "y*y*LiL", &data, &offsets, &max_size, &digests, &read_ns))
        return NULL;
    size_t n_files = offsets.len >= (Py_ssize_t)sizeof(int64_t)
                         ? (size_t)offsets.len / sizeof(int64_t) - 1 : 0;
    Tables t;
    Bytes buf = {0};
    int failed = tables_init(&t) ? OOM : 0;
    Py_BEGIN_ALLOW_THREADS
    P ps = {NULL, &t, {0}, 0};
    DirCache dc = {{0}, -1};
    const int64_t *off = offsets.buf;
    const char *base = data.buf;
    Bytes path = {0};
    for (size_t i = 0; !failed && i < n_files; i++) {
        int64_t a = off[i], b = off[i + 1];
        ps.article = (int64_t)i;
        path.len = 0;
        int ok = a >= 0 && b >= a && b <= data.len && !memchr(base + a, '\0', (size_t)(b - a));
        if (!ok || bytes_put(&path, base + a, (size_t)(b - a)) || bytes_put(&path, "", 1)) {
            if (ok) {
                failed = OOM;
                break;
            }
            /* a path that cannot name a file: unsure, the Python path says why */
            int64_t vals[F_NCOL] = {ST_UNSURE, -1, -1, -1, -1, -1, -1, -1};
            for (int k = 0; k < F_NCOL && !failed; k++)
                if (i64_put(&t.f[k], vals[k])) failed = OOM;
            continue;
        }
        if (one_file(&ps, &dc, path.p, max_size, digests, read_ns, &buf) == OOM) failed = OOM;
    }
    dir_free(&dc);
    free(path.p);
    free(ps.scratch.p);
    Py_END_ALLOW_THREADS
    free(buf.p);
    PyBuffer_Release(&data);
    PyBuffer_Release(&offsets);
    if (failed) {
        tables_free(&t);
        return PyErr_NoMemory();
    }
    PyObject *out = result_of(&t, n_files);
    tables_free(&t);
    return out;
}

PyDoc_STRVAR(parse_bytes_doc,
"parse_bytes(data) -> dict or int\n\n"
"Parse one file's bytes as read_records() parses a file: the columns of its\n"
"row(s), or, if the record is not certainly clean, the line of _native.c\n"
"where the reader gave up.  For tests.");

static PyObject *parse_bytes(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    Tables t;
    if (tables_init(&t)) {
        PyBuffer_Release(&data);
        return PyErr_NoMemory();
    }
    int r;
    gave_up_at = 0;
    Py_BEGIN_ALLOW_THREADS
    P ps = {NULL, &t, {0}, 0};
    r = parse_file(&ps, data.buf, (size_t)data.len);
    free(ps.scratch.p);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    if (r == OOM) {
        tables_free(&t);
        return PyErr_NoMemory();
    }
    if (r) {
        tables_free(&t);
        return PyLong_FromLong(gave_up_at);
    }
    int64_t vals[F_NCOL] = {0, -1, -1, -1, -1, -1, -1, -1};
    for (int i = 0; i < F_NCOL; i++) i64_put(&t.f[i], vals[i]);
    PyObject *out = result_of(&t, 1);
    tables_free(&t);
    return out;
}


PyDoc_STRVAR(stat_paths_doc,
"stat_paths(data, offsets) -> bytes\n\n"
"stat() every path of an Arrow binary array (its data and int64 offsets\n"
"buffers), with the GIL released: 5 int64 per path (kind, size, mtime_ns,\n"
"ctime_ns, inode), kind 0 a regular file, 1 not stat-able, 2 a folder, 3\n"
"anything else; the stamps are -1 unless kind is 0.");

static PyObject *stat_paths(PyObject *self, PyObject *args) {
    Py_buffer data, offsets;
    if (!PyArg_ParseTuple(args, "y*y*", &data, &offsets)) return NULL;
    size_t n = offsets.len >= (Py_ssize_t)sizeof(int64_t) ? (size_t)offsets.len / sizeof(int64_t) - 1 : 0;
    int64_t *out = malloc((n ? n : 1) * 5 * sizeof(int64_t));
    int failed = out == NULL;
    Py_BEGIN_ALLOW_THREADS
    const int64_t *off = offsets.buf;
    const char *base = data.buf;
    char stackbuf[4096];
    DirCache dc = {{0}, -1};
    for (size_t i = 0; !failed && i < n; i++) {
        int64_t a = off[i], b = off[i + 1];
        int64_t *row = out + 5 * i;
        row[0] = 1;
        row[1] = row[2] = row[3] = row[4] = -1;
        if (a < 0 || b < a || b > data.len || b - a >= (int64_t)sizeof stackbuf) continue;
        memcpy(stackbuf, base + a, (size_t)(b - a));
        stackbuf[b - a] = '\0';
        if (memchr(stackbuf, '\0', (size_t)(b - a))) continue;
        struct stat st;
        const char *name;
        int at = dir_of(&dc, stackbuf, &name);
        if (fstatat(at, name, &st, 0) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            row[0] = 2;
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            row[0] = 3;
            continue;
        }
        row[0] = 0;
        row[1] = st.st_size;
        row[2] = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        row[3] = (int64_t)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
        row[4] = (int64_t)st.st_ino;
    }
    dir_free(&dc);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    PyBuffer_Release(&offsets);
    if (failed) return PyErr_NoMemory();
    PyObject *block = block_of((void **)&out, n * 5 * sizeof(int64_t));
    if (!block) free(out);
    return block;
}

PyDoc_STRVAR(text_lists_doc,
"text_lists(offsets, data, list_offsets) -> list\n\n"
"The Python lists of text of an Arrow list<large_string> array (its values'\n"
"int64 offsets and data, and its own int64 offsets, all without nulls): one\n"
"list per row, a text repeated from row to row made once and shared.");

static PyObject *text_lists(PyObject *self, PyObject *args) {
    Py_buffer off, data, lists;
    if (!PyArg_ParseTuple(args, "y*y*y*", &off, &data, &lists)) return NULL;
    PyObject *out = NULL, *seen = PyDict_New();
    const int64_t *o = off.buf, *l = lists.buf;
    Py_ssize_t n_values = off.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t n = lists.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (!seen || n < 0 || n_values < 0) goto done;
    out = PyList_New(n);
    if (!out) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t a = l[i], b = l[i + 1];
        if (a < 0 || b < a || b > n_values) {
            PyErr_SetString(PyExc_ValueError, "list offsets out of range");
            Py_CLEAR(out);
            goto done;
        }
        PyObject *row = PyList_New((Py_ssize_t)(b - a));
        if (!row) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, row);
        for (int64_t j = a; j < b; j++) {
            int64_t s0 = o[j], s1 = o[j + 1];
            if (s0 < 0 || s1 < s0 || s1 > data.len) {
                PyErr_SetString(PyExc_ValueError, "value offsets out of range");
                Py_CLEAR(out);
                goto done;
            }
            PyObject *bytes = PyBytes_FromStringAndSize((const char *)data.buf + s0, s1 - s0);
            if (!bytes) {
                Py_CLEAR(out);
                goto done;
            }
            PyObject *text = PyDict_GetItemWithError(seen, bytes);
            if (text) {
                Py_INCREF(text);
            } else if (PyErr_Occurred()) {
                Py_DECREF(bytes);
                Py_CLEAR(out);
                goto done;
            } else {
                text = PyUnicode_DecodeUTF8((const char *)data.buf + s0, s1 - s0, "strict");
                if (!text || PyDict_SetItem(seen, bytes, text) < 0) {
                    Py_XDECREF(text);
                    Py_DECREF(bytes);
                    Py_CLEAR(out);
                    goto done;
                }
            }
            Py_DECREF(bytes);
            PyList_SET_ITEM(row, j - a, text);
        }
    }
done:
    Py_XDECREF(seen);
    PyBuffer_Release(&off);
    PyBuffer_Release(&data);
    PyBuffer_Release(&lists);
    return out;
}

PyDoc_STRVAR(trim_doc,
"trim() -> None\n\n"
"Give the memory freed during a load back to the system (glibc's malloc_trim:\n"
"the reader's threads each fill a malloc arena of their own, which glibc\n"
"keeps otherwise); nothing elsewhere.");

static PyObject *trim(PyObject *self, PyObject *noargs) {
    (void)self;
    (void)noargs;
#if defined(__GLIBC__)
    Py_BEGIN_ALLOW_THREADS
    malloc_trim(0);
    Py_END_ALLOW_THREADS
#endif
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"read_records", read_records, METH_VARARGS, read_records_doc},
    {"parse_bytes", parse_bytes, METH_VARARGS, parse_bytes_doc},
    {"stat_paths", stat_paths, METH_VARARGS, stat_paths_doc},
    {"text_lists", text_lists, METH_VARARGS, text_lists_doc},
    {"trim", trim, METH_NOARGS, trim_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "newsnb's compiled reader of clean records (see newsnb.io.native).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    if (PyType_Ready(&BlockType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&BlockType);
    if (PyModule_AddObject(m, "Block", (PyObject *)&BlockType) < 0) {
        Py_DECREF(&BlockType);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "VERSION", 1) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
