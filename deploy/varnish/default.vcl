# Varnish in front of the app (README "HTTP cache in front"): pages for anonymous readers are
# kept as long as the app's Cache-Control says and purged by the dependency keys each page
# carries in its xkey header, when the app sends PURGE (newsroom/http/purge.py).
vcl 4.1;

import std;
import xkey;

# The app as docker-compose.yml runs it; tests/e2e/test_varnish.py points it at its own.
backend app {
    .host = "172.30.0.10";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .request =
            "GET /healthz HTTP/1.1"
            "Host: localhost"
            "Connection: close";
        .interval = 5s;
        .timeout = 3s;
        .window = 5;
        .threshold = 3;
        # Healthy from the start: the first probe comes only after .interval.
        .initial = 3;
    }
}

# Who may purge: the app's own address (docker-compose.yml), and this machine.
acl purgers {
    "127.0.0.1";
    "::1";
    "172.30.0.10";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        call purge_keys;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff: the admin (under any ADMIN_URL its pages are marked private too), and anyone with
    # a session, CSRF token or message, as an editor has; previews need the session.
    if (req.url ~ "^/admin/" || req.url ~ "^/healthz"
        || req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)="
        || req.http.Authorization) {
        return (pass);
    }
    # Other cookies (a reader's analytics) change nothing the app answers: one copy for all.
    unset req.http.Cookie;
    # Stale pages are answered while a fresh one is fetched for a few seconds after they
    # expire or are soft-purged; for hours when the app fails its health check.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

# PURGE with xkey-purge: <keys> removes every page carrying one of the keys; with
# xkey-softpurge: <keys> marks them stale, answered within their grace while refetched.
sub purge_keys {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey-purge && !req.http.xkey-softpurge) {
        return (synth(400, "No xkey-purge or xkey-softpurge header"));
    }
    set req.http.n-gone = 0;
    if (req.http.xkey-purge) {
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
    }
    if (req.http.xkey-softpurge) {
        set req.http.n-gone = std.integer(req.http.n-gone, 0)
            + xkey.softpurge(req.http.xkey-softpurge);
    }
    return (synth(200, "Purged " + req.http.n-gone));
}

sub vcl_hash {
    # http and https answer differently (the redirect to https); the TLS proxy says which.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Only what the app says may be shared, for as long as it says (max-age, s-maxage); the
    # built-in rules then leave out anything private, no-store or setting a cookie.
    if (beresp.http.Cache-Control !~ "(?i)(public|max-age|s-maxage)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.grace = 6h;
    # A stale page is revalidated with its ETag: the app answers 304 for an unchanged one.
    set beresp.keep = 1h;
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))|\+xml") {
        set beresp.do_gzip = true;
    }
    # A failed refetch keeps the stale page rather than replacing it with the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Varnish's own keys; Surrogate-Key stays for a CDN in front of it.
    unset resp.http.xkey;
}
