#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic and unavailable from Swift: typed wrappers.
static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ccurl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode ccurl_setopt_callback(CURL *h, CURLoption o, ccurl_data_callback v) { return curl_easy_setopt(h, o, v); }
typedef int (*ccurl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode ccurl_setopt_xferinfo(CURL *h, CURLoption o, ccurl_xferinfo_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }

static inline CURLcode ccurl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
/// Sets a `struct curl_blob` option (CURLOPT_CAINFO_BLOB, CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB); libcurl copies the bytes.
static inline CURLcode ccurl_setopt_blob(CURL *h, CURLoption o, const void *data, size_t len) {
    struct curl_blob b;
    b.data = (void *)data;
    b.len = len;
    b.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(h, o, &b);
}
/// The value of CURL_HTTP_VERSION_2TLS (an enum constant Swift imports with an awkward type).
static inline long ccurl_http_version_2tls(void) { return (long)CURL_HTTP_VERSION_2TLS; }
/// The value of CURL_GLOBAL_DEFAULT.
static inline long ccurl_global_default(void) { return (long)CURL_GLOBAL_DEFAULT; }

#endif
