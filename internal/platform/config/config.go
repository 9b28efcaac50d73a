// Package config reads carefit's settings from environment variables. Every
// variable has a documented default; Load validates them all once, at start,
// and reports the first bad one by name so an operator sees one clear line.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Config is the whole process configuration.
type Config struct {
	DatabaseURL       string
	DBMaxConns        int32
	RedisURL          string
	MeiliURL          string
	MeiliKey          string
	MeiliIndexPrefix  string
	HTTPAddr          string
	BodyLimit         string
	CORSOrigins       []string
	TrustedProxies    []string
	RateLimit         float64
	ImportsPerKey     int
	LogLevel          slog.Level
	LogFormat         string
	ShutdownTimeout   time.Duration
	WorkerConcurrency int
	WorkerMetricsAddr string
	// DebugAddr is the loopback address where serve answers
	// /debug/pprof; empty serves none.
	DebugAddr string
	// MemoryLimit is the Go runtime's soft memory limit in bytes; 0 is none.
	MemoryLimit   int64
	Scheduler     bool
	NightlyCron   string
	RematchCron   string
	TZ            *time.Location
	MatchesK      int
	AlertMinScore float64
	// AvailabilitySlackDays is how many days after a position's start
	// date a clinician may become available and still be eligible.
	AvailabilitySlackDays int
	WebhookPrivate        bool
	IntroDailyLimit       int
	StateDir              string
	MeiliBin              string
}

// Var documents one environment variable.
type Var struct {
	Name    string
	Default string
	Help    string
	Secret  bool
	set     func(c *Config, v string) error
}

// Vars lists every variable carefit reads, in the order they are documented.
var Vars = []Var{
	{Name: "CAREFIT_DATABASE_URL", Default: "postgres://carefit@127.0.0.1:5432/carefit?sslmode=disable",
		Help: "Postgres connection URL (the source of truth)", Secret: true,
		set: func(c *Config, v string) error { return setURL(&c.DatabaseURL, v, "postgres", "postgresql") }},
	{Name: "CAREFIT_DB_MAX_CONNS", Default: "10", Help: "largest Postgres pool size for this process (1-200)",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 1, 200)
			c.DBMaxConns = int32(n)
			return err
		}},
	{Name: "CAREFIT_REDIS_URL", Default: "redis://127.0.0.1:6379/0", Help: "Redis URL for the asynq task queues", Secret: true,
		set: func(c *Config, v string) error { return setURL(&c.RedisURL, v, "redis", "rediss") }},
	{Name: "CAREFIT_MEILI_URL", Default: "http://127.0.0.1:7700", Help: "Meilisearch base URL",
		set: func(c *Config, v string) error { return setURL(&c.MeiliURL, v, "http", "https") }},
	{Name: "CAREFIT_MEILI_KEY", Default: "", Help: "Meilisearch API key used by the server (never sent to clients)", Secret: true,
		set: func(c *Config, v string) error { c.MeiliKey = v; return nil }},
	{Name: "CAREFIT_MEILI_INDEX_PREFIX", Default: "carefit", Help: "prefix of carefit's Meilisearch index names ([a-z0-9_], 1-40 chars)",
		set: func(c *Config, v string) error {
			if v == "" || len(v) > 40 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
				return fmt.Errorf("must be 1-40 characters of a-z, 0-9 and _")
			}
			c.MeiliIndexPrefix = v
			return nil
		}},
	{Name: "CAREFIT_HTTP_ADDR", Default: "127.0.0.1:8080", Help: "address the HTTP API listens on (host:port)",
		set: func(c *Config, v string) error {
			host, port, err := net.SplitHostPort(v)
			if err != nil {
				return fmt.Errorf("must be host:port")
			}
			if _, err := intIn(port, 0, 65535); err != nil {
				return fmt.Errorf("port %w", err)
			}
			_ = host
			c.HTTPAddr = v
			return nil
		}},
	{Name: "CAREFIT_BODY_LIMIT", Default: "1M", Help: "largest accepted request body (e.g. 512K, 1M; imports allow 64x this)",
		set: func(c *Config, v string) error {
			if _, err := ParseBytes(v); err != nil {
				return err
			}
			c.BodyLimit = v
			return nil
		}},
	{Name: "CAREFIT_CORS_ORIGINS", Default: "", Help: "comma-separated browser origins allowed to call the API (empty: none)",
		set: func(c *Config, v string) error {
			for _, o := range splitList(v) {
				u, err := url.Parse(o)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
					return fmt.Errorf("%q is not an origin like https://example.org", o)
				}
				c.CORSOrigins = append(c.CORSOrigins, o)
			}
			return nil
		}},
	{Name: "CAREFIT_TRUSTED_PROXIES", Default: "", Help: "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: use the peer address)",
		set: func(c *Config, v string) error {
			for _, s := range splitList(v) {
				if _, _, err := net.ParseCIDR(s); err != nil {
					return fmt.Errorf("%q is not a CIDR", s)
				}
				c.TrustedProxies = append(c.TrustedProxies, s)
			}
			return nil
		}},
	{Name: "CAREFIT_RATE_LIMIT", Default: "50", Help: "requests per second per client address, burst twice that (0 turns the limiter off)",
		set: func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 100000 {
				return fmt.Errorf("must be a number from 0 to 100000")
			}
			c.RateLimit = f
			return nil
		}},
	{Name: "CAREFIT_IMPORTS_PER_KEY", Default: "2", Help: "NDJSON imports one API key may run at once; more answer 429 (1-64)",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 1, 64)
			c.ImportsPerKey = n
			return err
		}},
	{Name: "CAREFIT_LOG_LEVEL", Default: "info", Help: "debug, info, warn or error",
		set: func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{Name: "CAREFIT_LOG_FORMAT", Default: "json", Help: "json or text (dev uses text)",
		set: func(c *Config, v string) error {
			if v != "json" && v != "text" {
				return fmt.Errorf("must be json or text")
			}
			c.LogFormat = v
			return nil
		}},
	{Name: "CAREFIT_SHUTDOWN_TIMEOUT", Default: "15s", Help: "how long shutdown waits for requests and tasks to finish (1s-10m)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second || d > 10*time.Minute {
				return fmt.Errorf("must be a duration between 1s and 10m")
			}
			c.ShutdownTimeout = d
			return nil
		}},
	{Name: "CAREFIT_WORKER_CONCURRENCY", Default: "4", Help: "tasks one worker runs at once (1-256)",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 1, 256)
			c.WorkerConcurrency = n
			return err
		}},
	{Name: "CAREFIT_MEMORY_LIMIT", Default: "900M", Help: "soft memory limit of a carefit process (64M-1024G, or off); the feature store needs about 700 bytes a clinician and 1.6 KiB a position, so raise it past about 800,000 clinicians; GOMEMLIMIT, when set, wins",
		set: func(c *Config, v string) error {
			if v == "off" {
				c.MemoryLimit = 0
				return nil
			}
			n, err := ParseBytes(v)
			if err != nil || n < 64<<20 {
				return fmt.Errorf("must be a size from 64M to 1024G such as 900M or 2G, or off")
			}
			c.MemoryLimit = n
			return nil
		}},
	{Name: "CAREFIT_SCHEDULER", Default: "true", Help: "run the periodic scheduler in this worker (exactly one per deployment)",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false")
			}
			c.Scheduler = b
			return nil
		}},
	{Name: "CAREFIT_NIGHTLY_CRON", Default: "0 3 * * *", Help: "cron spec (UTC) of the nightly maintenance: search indexes rebuilt, outbox and idempotency records pruned",
		set: func(c *Config, v string) error {
			if len(strings.Fields(v)) != 5 {
				return fmt.Errorf("must be a 5-field cron spec such as \"0 3 * * *\"")
			}
			c.NightlyCron = v
			return nil
		}},
	{Name: "CAREFIT_WORKER_METRICS_ADDR", Default: "127.0.0.1:9464", Help: "where `carefit worker` serves /metrics and /debug/pprof (host:port; off: nowhere)",
		set: func(c *Config, v string) error {
			if v == "off" {
				v = ""
			} else if _, port, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("must be host:port or off")
			} else if _, err := intIn(port, 0, 65535); err != nil {
				return fmt.Errorf("port %w", err)
			}
			c.WorkerMetricsAddr = v
			return nil
		}},
	{Name: "CAREFIT_DEBUG_ADDR", Default: "off", Help: "loopback host:port where `carefit serve` answers /debug/pprof (CPU, heap and goroutine profiles) on a listener of its own; off: nowhere",
		set: func(c *Config, v string) error {
			if v == "off" {
				c.DebugAddr = ""
				return nil
			}
			host, port, err := net.SplitHostPort(v)
			if err != nil {
				return fmt.Errorf("must be host:port or off")
			}
			if _, err := intIn(port, 0, 65535); err != nil {
				return fmt.Errorf("port %w", err)
			}
			// Profiles show the process's memory: never beyond the host.
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return fmt.Errorf("must be a loopback address such as 127.0.0.1:6060")
			}
			c.DebugAddr = v
			return nil
		}},
	{Name: "CAREFIT_REMATCH_CRON", Default: "0 2 * * *", Help: "cron spec (in CAREFIT_TZ) of the nightly rematch of every open position",
		set: func(c *Config, v string) error {
			if _, err := cron.ParseStandard(v); err != nil || len(strings.Fields(v)) != 5 {
				return fmt.Errorf("must be a 5-field cron spec such as \"0 2 * * *\"")
			}
			c.RematchCron = v
			return nil
		}},
	{Name: "CAREFIT_TZ", Default: "UTC", Help: "IANA time zone of CAREFIT_REMATCH_CRON (e.g. America/Chicago)",
		set: func(c *Config, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil || v == "" || v == "Local" {
				return fmt.Errorf("must be an IANA time zone such as UTC or America/Chicago")
			}
			c.TZ = loc
			return nil
		}},
	{Name: "CAREFIT_MATCHES_K", Default: "100", Help: "clinicians kept per open position in the stored matches (1-1000)",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 1, 1000)
			c.MatchesK = n
			return err
		}},
	{Name: "CAREFIT_AVAILABILITY_SLACK_DAYS", Default: "14",
		Help: "days after a position's start date a clinician may become available and still be eligible (0-90); explanations say when the allowance is used",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 0, 90)
			c.AvailabilitySlackDays = n
			return err
		}},
	{Name: "CAREFIT_ALERT_MIN_SCORE", Default: "85", Help: "lowest score of a new match that is alerted (0-100; 85 is where the excellent band starts)",
		set: func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 100 {
				return fmt.Errorf("must be a number from 0 to 100")
			}
			c.AlertMinScore = f
			return nil
		}},
	{Name: "CAREFIT_WEBHOOK_ALLOW_PRIVATE", Default: "false", Help: "let webhooks use http and reach loopback and private addresses (true only where every receiver is on a trusted private network)",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false")
			}
			c.WebhookPrivate = b
			return nil
		}},
	{Name: "CAREFIT_INTRO_DAILY_LIMIT", Default: "50", Help: "introduction requests one recruiter key may open in any 24 hours; more answer 429 (1-10000)",
		set: func(c *Config, v string) error {
			n, err := intIn(v, 1, 10000)
			c.IntroDailyLimit = n
			return err
		}},
	{Name: "CAREFIT_STATE_DIR", Default: ".carefit", Help: "where `carefit dev` keeps its private services, binaries and data",
		set: func(c *Config, v string) error {
			if v == "" {
				return fmt.Errorf("must not be empty")
			}
			c.StateDir = v
			return nil
		}},
	{Name: "CAREFIT_MEILI_BIN", Default: "", Help: "Meilisearch binary for `carefit dev` (default: the verified one in $CAREFIT_STATE_DIR/bin)",
		set: func(c *Config, v string) error { c.MeiliBin = v; return nil }},
}

// Error names the variable that failed validation.
type Error struct {
	Var string
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Var, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Load reads the configuration through getenv (os.Getenv in production) and
// returns an *Error naming the first invalid variable.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	for _, v := range Vars {
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if err := v.set(&c, val); err != nil {
			return Config{}, &Error{Var: v.Name, Err: err}
		}
	}
	return c, nil
}

// LogValue lists the configuration with secrets masked, for the start-up log.
func (c Config) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("database_url", MaskURL(c.DatabaseURL)),
		slog.String("redis_url", MaskURL(c.RedisURL)),
		slog.String("meili_url", c.MeiliURL),
		slog.Bool("meili_key_set", c.MeiliKey != ""),
		slog.String("meili_index_prefix", c.MeiliIndexPrefix),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("log_level", c.LogLevel.String()),
		slog.Int("worker_concurrency", c.WorkerConcurrency),
		slog.Bool("scheduler", c.Scheduler),
		slog.String("nightly_cron", c.NightlyCron),
	}
	return slog.GroupValue(attrs...)
}

// MaskURL hides a URL's password.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// ParseBytes parses sizes such as 512K, 1M or 2G (powers of 1024) or a plain
// byte count.
func ParseBytes(s string) (int64, error) {
	mult := int64(1)
	num := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case strings.HasSuffix(num, "K"):
		mult, num = 1<<10, strings.TrimSuffix(num, "K")
	case strings.HasSuffix(num, "M"):
		mult, num = 1<<20, strings.TrimSuffix(num, "M")
	case strings.HasSuffix(num, "G"):
		mult, num = 1<<30, strings.TrimSuffix(num, "G")
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 512K or 1M", s)
	}
	return n * mult, nil
}

func setURL(dst *string, v string, schemes ...string) error {
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	for _, s := range schemes {
		if u.Scheme == s {
			if u.Host == "" {
				return fmt.Errorf("URL has no host")
			}
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("scheme must be %s", strings.Join(schemes, " or "))
}

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("must be a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
