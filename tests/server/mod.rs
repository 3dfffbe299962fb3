//! A real HTTP server on loopback addresses for the network tests and the
//! network benchmark: each test says how it answers, then reads back every
//! request it received. With `start_tls`, it speaks https with a self-signed
//! certificate that no one trusts. Named as a proxy, it is the network: it
//! sees each request as a proxy does (`target`), and answers it itself.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The request target as sent: the path for a server, the whole URL for
    /// a proxy, `host:port` for a proxy's CONNECT.
    pub target: String,
    pub user_agent: Option<String>,
    /// How many requests for the same path came before this one.
    pub earlier: usize,
    pub at: Instant,
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
    hang_up: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: format!("<!doctype html><title>{status}</title>"),
            delay: Duration::ZERO,
            hang_up: false,
        }
    }

    /// Closes the connection without an answer.
    pub fn hang_up() -> Self {
        Self {
            hang_up: true,
            ..Self::status(500)
        }
    }

    pub fn ok() -> Self {
        Self::status(200)
    }

    pub fn redirect(status: u16, location: &str) -> Self {
        Self::status(status).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = body.to_owned();
        self
    }

    /// Answers only after this long.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A server running on its own thread until the test ends.
pub struct Server {
    port: u16,
    hosts: Vec<IpAddr>,
    scheme: &'static str,
    log: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    /// Listens on 127.0.0.1.
    pub fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], handler)
    }

    /// Listens on each of these loopback addresses, on one port.
    pub fn start_on(
        hosts: &[IpAddr],
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::launch(hosts, None, Arc::new(handler))
    }

    /// Listens on 127.0.0.1 with https and a self-signed certificate.
    pub fn start_tls(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let certified = rcgen::generate_simple_self_signed(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ])
        .unwrap();
        let key = tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(
            certified.key_pair.serialize_der().into(),
        );
        let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Self::launch(
            &[IpAddr::V4(Ipv4Addr::LOCALHOST)],
            Some(acceptor),
            Arc::new(handler),
        )
    }

    fn launch(
        hosts: &[IpAddr],
        tls: Option<tokio_rustls::TlsAcceptor>,
        handler: Arc<Handler>,
    ) -> Self {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let hosts_owned = hosts.to_vec();
        let thread_log = Arc::clone(&log);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let mut port = 0;
                let mut listeners = Vec::new();
                for host in hosts_owned {
                    let listener = tokio::net::TcpListener::bind(SocketAddr::new(host, port))
                        .await
                        .unwrap();
                    port = listener.local_addr().unwrap().port();
                    listeners.push(listener);
                }
                ready_tx.send(port).unwrap();
                let mut tasks = Vec::new();
                for listener in listeners {
                    let handler = Arc::clone(&handler);
                    let log = Arc::clone(&thread_log);
                    let tls = tls.clone();
                    tasks.push(tokio::spawn(serve(listener, tls, handler, log)));
                }
                for task in tasks {
                    let _ = task.await;
                }
            });
        });
        let port = ready_rx.recv().unwrap();
        Self {
            port,
            hosts: hosts.to_vec(),
            scheme,
            log,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of `path` on the first address.
    pub fn url(&self, path: &str) -> String {
        self.url_on(0, path)
    }

    /// The URL of `path` on the `index`th address.
    pub fn url_on(&self, index: usize, path: &str) -> String {
        let host = match self.hosts[index] {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        format!("{}://{host}:{}{path}", self.scheme, self.port)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests for `path` were received.
    pub fn count(&self, path: &str) -> usize {
        self.received().iter().filter(|r| r.path == path).count()
    }

    /// The address to name this server by as a proxy.
    pub fn as_proxy(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The targets of every request received, in order (for a proxy: the
    /// URLs it was asked for).
    pub fn targets(&self) -> Vec<String> {
        self.received().into_iter().map(|r| r.target).collect()
    }

    /// The methods of the requests for `path`, in order.
    pub fn methods(&self, path: &str) -> Vec<String> {
        self.received()
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.method.clone())
            .collect()
    }
}

async fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Received>>>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let handler = Arc::clone(&handler);
        let log = Arc::clone(&log);
        let tls = tls.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<Incoming>| {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                async move {
                    let path = request
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default();
                    let target = request.uri().to_string();
                    let received = {
                        let mut log = log.lock().unwrap();
                        let earlier = log.iter().filter(|r| r.path == path).count();
                        let received = Received {
                            method: request.method().to_string(),
                            path,
                            target,
                            user_agent: request
                                .headers()
                                .get("user-agent")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_owned),
                            earlier,
                            at: Instant::now(),
                        };
                        log.push(received.clone());
                        received
                    };
                    let reply = handler(&received);
                    if !reply.delay.is_zero() {
                        tokio::time::sleep(reply.delay).await;
                    }
                    if reply.hang_up {
                        return Err(std::io::Error::other("hanging up"));
                    }
                    let mut response = hyper::Response::builder().status(reply.status);
                    for (name, value) in &reply.headers {
                        // As bytes: a test may send what a careless server does (raw UTF-8).
                        let value =
                            hyper::header::HeaderValue::from_bytes(value.as_bytes()).unwrap();
                        response = response.header(name, value);
                    }
                    Ok::<_, std::io::Error>(
                        response.body(Full::new(Bytes::from(reply.body))).unwrap(),
                    )
                }
            });
            let builder = hyper::server::conn::http1::Builder::new();
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
            }
        });
    }
}

/// A handler that answers each path from a table, 404 for the rest.
pub fn routes(table: &[(&str, Reply)]) -> impl Fn(&Received) -> Reply + Send + Sync + 'static {
    let table: HashMap<String, Reply> = table
        .iter()
        .map(|(path, reply)| ((*path).to_owned(), reply.clone()))
        .collect();
    move |received| {
        table
            .get(&received.path)
            .cloned()
            .unwrap_or_else(|| Reply::status(404))
    }
}

/// A DNS of its own for the tests: the names it holds resolve to their
/// addresses, every other name does not exist, and no DNS server is asked.
#[derive(Debug, Default, Clone)]
pub struct Names {
    names: HashMap<String, Vec<IpAddr>>,
    unanswered: Vec<String>,
    unreachable: bool,
}

impl Names {
    pub fn with(mut self, name: &str, address: IpAddr) -> Self {
        self.names.entry(name.to_owned()).or_default().push(address);
        self
    }

    /// A DNS that gives no answer for `name`, as a DNS out of reach does.
    pub fn unanswered(mut self, name: &str) -> Self {
        self.unanswered.push(name.to_owned());
        self
    }

    /// A DNS that cannot be reached, as on a machine without a network.
    pub fn unreachable() -> Self {
        Self {
            unreachable: true,
            ..Self::default()
        }
    }
}

impl offercheck::net::Lookup for Names {
    fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, offercheck::net::LookupError> {
        if self.unreachable || self.unanswered.iter().any(|name| name == host) {
            return Err(offercheck::net::LookupError::Unreachable(
                "the DNS did not answer".to_owned(),
            ));
        }
        self.names
            .get(host)
            .cloned()
            .ok_or(offercheck::net::LookupError::NoSuchHost)
    }
}

/// Settings for a quick test: short waits, and only `names` for a DNS.
pub fn settings(names: Names) -> offercheck::net::Settings {
    offercheck::net::Settings {
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(1500),
        lookup: Some(Arc::new(names)),
        // Whatever proxy the machine running the tests uses.
        proxies: offercheck::net::Proxies::none(),
        ..Default::default()
    }
}

/// Online, local servers allowed, only the named checks.
pub fn online(checks: &[&str]) -> offercheck::Options {
    offercheck::Options {
        allow_private_hosts: true,
        only: checks
            .iter()
            .map(|id| offercheck::checks::find(id).unwrap())
            .collect(),
        network: settings(Names::default()),
        ..Default::default()
    }
}
