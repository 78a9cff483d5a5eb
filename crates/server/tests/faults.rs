//! Server faults on loopback, against the real connection loop (`serve_listener`):
//! slow and silent clients, an oversized request head, clients that hang up mid-response,
//! a burst of scenario runs beyond the cap, and more connections than allowed. Each test
//! ends by checking the server still answers an ordinary query. No timing is asserted
//! beyond generous upper bounds that only catch a hang.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use fairshare_server::{Limits, serve_listener};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Start a server on a free loopback port with `limits`; it stops with the runtime.
async fn start(limits: Limits) -> SocketAddr {
    let ds = fairshare_embedded::dataset().expect("the embedded dataset loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve_listener(
        listener,
        ds,
        limits,
        std::future::pending::<()>(),
    ));
    addr
}

fn quick(header_read_timeout: Duration) -> Limits {
    Limits {
        header_read_timeout,
        ..Limits::default()
    }
}

/// One GET on a fresh connection: (status, body). Panics if no answer in 60 s.
async fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    read_response(&mut s).await
}

async fn read_response(s: &mut TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut buf))
        .await
        .expect("an answer within 60 s")
        .unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {:?}", &text[..text.len().min(200)]));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The server still answers an ordinary query, with the right figure.
async fn still_answers(addr: SocketAddr) {
    let (status, body) = get(addr, "/api/series?country=JPN&from=2024&to=2024").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"country\":\"JPN\""), "{body}");
}

/// Wait until the server closes `s` (read gives EOF or a reset); the time it took.
async fn closed_by_server(s: &mut TcpStream, within: Duration) -> Duration {
    let t = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(within, s.read(&mut buf)).await {
            Err(_) => panic!("the server kept the connection open over {within:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return t.elapsed(),
            Ok(Ok(_)) => {} // a 408 or similar before closing is fine
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_off_and_others_are_served_meanwhile() {
    let addr = start(quick(Duration::from_secs(1))).await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/series?country=JPN HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    // One header byte every 200 ms: the head is never finished.
    let dribble = tokio::spawn(async move {
        let mut sent = 0;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow.write_all(b"X").await.is_err() {
                break;
            }
            sent += 1;
        }
        (slow, sent)
    });
    // Meanwhile an ordinary client is answered.
    still_answers(addr).await;
    let (mut slow, sent) = dribble.await.unwrap();
    let waited = closed_by_server(&mut slow, Duration::from_secs(20)).await;
    assert!(
        sent < 100,
        "the slow client sent {sent} bytes over 20 s and was never cut off (waited {waited:?})"
    );
    still_answers(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_client_is_disconnected() {
    let addr = start(quick(Duration::from_secs(1))).await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    closed_by_server(&mut silent, Duration::from_secs(20)).await;
    // Also after one answered request on a kept-alive connection.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /api/sources HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    closed_by_server(&mut idle, Duration::from_secs(20)).await;
    still_answers(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_head_gets_431() {
    let addr = start(Limits::default()).await;
    let s = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = s.into_split();
    let head = format!(
        "GET /api/sources HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1_000_000)
    );
    // The server stops reading (and closes) before the whole head is written: write
    // from a task, so the client can read the answer meanwhile.
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(head.as_bytes()).await;
        wr
    });
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), rd.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    // The 431 may be lost to a connection reset (unread bytes on close): either way
    // the request is never served.
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 431"),
        "not a 431: {:?}",
        &text[..text.len().min(200)]
    );
    eprintln!("oversized head answered: {:?}", text.lines().next());
    drop(writer.await);
    // A long URL under the head limit is the application's 414, as JSON.
    let (status, body) = get(addr, &format!("/api/series?x={}", "a".repeat(20_000))).await;
    assert_eq!(status, 414, "{body}");
    assert!(body.contains("\"error\""), "{body}");
    still_answers(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_hang_up_mid_response_do_not_disturb_the_server() {
    let addr = start(Limits::default()).await;
    // A large answer: every country's SIPRI share of GDP since 1949, as CSV.
    let target = "/api/series.csv?country=USA,JPN,KOR,DEU,FRA,GBR,ITA,CAN,AUS,POL,TUR,ESP,NLD,NOR,BEL,DNK,GRC,PRT,CZE,HUN&from=1949&to=2030&definition=sipri";
    let (status, full) = get(addr, target).await;
    assert_eq!(status, 200);
    assert!(full.len() > 100_000, "only {} bytes", full.len());
    for _ in 0..50 {
        // A small receive buffer, so the server is still writing when the client goes.
        let sock = TcpSocket::new_v4().unwrap();
        sock.set_recv_buffer_size(4096).unwrap();
        let mut s = sock.connect(addr).await.unwrap();
        let req = format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut first = [0u8; 512];
        let n = s.read(&mut first).await.unwrap();
        assert!(first[..n].starts_with(b"HTTP/1.1 200"));
        drop(s); // hang up with most of the answer unsent
    }
    still_answers(addr).await;
    let (status, again) = get(addr, target).await;
    assert_eq!(status, 200);
    assert_eq!(again, full, "the answer changed after the hang-ups");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_scenario_runs_is_capped_and_series_still_answer() {
    let addr = start(Limits::default()).await;
    // Eight runs at once, each different (no cache), written before any is read.
    let mut conns = Vec::new();
    for seed in 0..8 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "GET /api/scenarios/japan-5pct-2035/run?paths=20000&seed={seed} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        );
        s.write_all(req.as_bytes()).await.unwrap();
        conns.push(s);
    }
    // While they run: a series query is answered.
    still_answers(addr).await;
    let mut ok = 0;
    let mut refused = 0;
    for mut s in conns {
        let (status, body) = read_response(&mut s).await;
        match status {
            200 => {
                assert!(body.contains("\"records\""), "{body:.200}");
                ok += 1;
            }
            503 => {
                assert!(body.contains("scenario runs are in progress"), "{body}");
                refused += 1;
            }
            other => panic!("status {other}: {body:.300}"),
        }
    }
    assert!(ok >= 1, "no run was served");
    assert!(refused >= 1, "all 8 ran: the cap of 2 did not hold");
    assert_eq!(ok + refused, 8);
    // Once the burst is over, a run is accepted again.
    let (status, body) = get(addr, "/api/scenarios/japan-5pct-2035/run?paths=200&seed=99").await;
    assert_eq!(status, 200, "{body:.300}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(2),
        max_connections: 2,
        ..Limits::default()
    };
    let addr = start(limits).await;
    // Two silent clients hold both slots until the header timeout frees them.
    let mut a = TcpStream::connect(addr).await.unwrap();
    let mut b = TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let third = tokio::spawn(async move {
        let t = Instant::now();
        let r = get(addr, "/api/sources").await;
        (r, t.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !third.is_finished(),
        "a third connection was served past the cap of 2"
    );
    closed_by_server(&mut a, Duration::from_secs(20)).await;
    closed_by_server(&mut b, Duration::from_secs(20)).await;
    let ((status, _), _) = tokio::time::timeout(Duration::from_secs(20), third)
        .await
        .expect("the waiting client is served once a slot frees")
        .unwrap();
    assert_eq!(status, 200);
}
