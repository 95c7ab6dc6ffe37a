//! End-to-end: the server on a loopback port, driven by a real headless
//! Chromium through ChromeDriver (Debian's `chromium` and `chromium-driver`,
//! which `.ci/run` installs). Screenshots go to `target/e2e/`.
//!
//! Without those packages the test fails and says what to install; set
//! `FIHRIS_SKIP_BROWSER=1` to skip it on purpose.

// The journey's helpers are test code too: a failed unwrap fails the test.
#![allow(clippy::unwrap_used)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use fihris_server::App;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// ChromeDriver, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

/// The editorial store the browser writes to (a fresh SQLite directory)
/// and a publisher's key for it.
fn editor_store() -> (fihris_editorial::Editor, String) {
    let source =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    let dir = std::env::temp_dir().join(format!("fihris-e2e-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let editor = fihris_editorial::Editor::new(fihris_editorial::Location::Sqlite(dir), &source);
    let key = editor
        .create_key("test", "amina", fihris_store::Role::Publisher)
        .expect("a key");
    (editor, key)
}

async fn start_server() -> (SocketAddr, String) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    let corpus = fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let app = Arc::new(App::new(corpus).expect("index"));
    // With the model, search pages are hybrid: their badges and topics box
    // are toured too.
    if std::env::var_os("FIHRIS_SKIP_MODEL").is_none() {
        let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/vectors");
        let loading = fihris_server::load_model(app.clone(), vec![vectors]);
        tokio::task::spawn_blocking(move || loading.join().expect("model thread"))
            .await
            .expect("model");
        assert_eq!(
            app.model_status().state,
            "ready",
            "{:?}",
            app.model_status()
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (editor, key) = editor_store();
    let served = fihris_server::Served::new(app).with_editor(editor);
    tokio::spawn(async move {
        axum::serve(listener, fihris_server::served_router(served))
            .await
            .expect("serve");
    });
    (addr, key)
}

async fn browser(port: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("e2e");
    std::fs::create_dir_all(&dir).expect("target/e2e");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect(script)
}

/// The page is laid out right to left: the document says so, the body's
/// computed direction is rtl, and the brand (first in the header) sits at
/// the right edge.
async fn assert_rtl(c: &Client, page: &str) {
    let v = js(
        c,
        "const b = document.querySelector('header a.brand').getBoundingClientRect();
         return [document.documentElement.lang, document.documentElement.dir,
                 getComputedStyle(document.body).direction,
                 b.left > window.innerWidth / 2,
                 getComputedStyle(document.body).fontFamily];",
    )
    .await;
    assert_eq!(v[0], "ar", "{page}: lang");
    assert_eq!(v[1], "rtl", "{page}: dir");
    assert_eq!(v[2], "rtl", "{page}: computed direction");
    assert_eq!(v[3], true, "{page}: the brand is not on the right");
    assert!(
        v[4].as_str().unwrap_or("").starts_with("Amiri"),
        "{page}: font {}",
        v[4]
    );
}

/// Clicks the first element matching `css` (`what` names it when it is
/// missing).
async fn click(c: &Client, css: &str, what: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {what}: {e}"));
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_in_headless_chromium() {
    if std::env::var_os("FIHRIS_SKIP_BROWSER").is_some() {
        eprintln!("FIHRIS_SKIP_BROWSER is set: browser test skipped");
        return;
    }
    for bin in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            std::path::Path::new(bin).exists(),
            "{bin} is missing: apt-get install chromium chromium-driver fonts-hosny-amiri (or set FIHRIS_SKIP_BROWSER=1)"
        );
    }
    let (addr, key) = start_server().await;
    let base = format!("http://{addr}");
    let (_driver, port) = start_driver();
    let profile = std::env::temp_dir().join(format!("fihris-e2e-{}", std::process::id()));
    let c = browser(port, &profile).await;
    // The journey runs in its own task so that, whatever it asserts, the
    // browser is closed before the test reports.
    let session = c.clone();
    let outcome = tokio::spawn(async move {
        journey(&session, &base).await;
        editor_journey(&session, &base, &key).await;
    })
    .await;
    let _ = c.close().await;
    let _ = std::fs::remove_dir_all(&profile);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn journey(c: &Client, base: &str) {
    // Home: search box, meetings, topics; right to left, in Amiri.
    c.goto(&format!("{base}/")).await.expect("home");
    assert_rtl(c, "home").await;
    assert_eq!(
        c.find_all(Locator::Css("ul.sections li"))
            .await
            .unwrap()
            .len(),
        14
    );
    // The topic tree: 78 topics as links, sub-topics nested under their
    // heading (victims: compensation, identification, …).
    assert_eq!(
        c.find_all(Locator::Css("ul.topics a")).await.unwrap().len(),
        78
    );
    let nested = js(
        c,
        "return document.querySelectorAll('ul.topics > li > ul > li > a[href=\"/topics/victims.compensation\"]').length;",
    )
    .await;
    assert_eq!(nested, 1, "compensation sits under its heading");
    // Keyboard: the first Tab reaches the skip link, which moves to the content.
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .expect("Tab");
    let focused = js(c, "return document.activeElement.className;").await;
    assert_eq!(focused, "skip");
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .expect("Enter");
    let focused = js(c, "return document.activeElement.id;").await;
    assert_eq!(focused, "main", "the skip link moves focus to the content");
    shot(c, "home").await;

    // Search «تعويض الضحايا» by typing it and pressing the button.
    let q = c.find(Locator::Id("q")).await.expect("search box");
    q.send_keys("تعويض الضحايا").await.expect("type");
    click(c, "form.search button", "button").await;
    c.wait()
        .for_element(Locator::Css("ol.hits"))
        .await
        .expect("results");
    assert!(c.current_url().await.unwrap().path() == "/search");
    assert_rtl(c, "search").await;
    let hrefs: Vec<String> = {
        let mut out = Vec::new();
        for a in c.find_all(Locator::Css("ol.hits > li > a")).await.unwrap() {
            out.push(a.attr("href").await.unwrap().unwrap_or_default());
        }
        out
    };
    assert_eq!(hrefs.len(), 10);
    for id in ["A.2.49", "A.5.22"] {
        assert!(
            hrefs.contains(&format!("/provisions/{id}")),
            "{id} in {hrefs:?}"
        );
    }
    let marks = c.find_all(Locator::Css("ol.hits mark")).await.unwrap();
    assert!(marks.len() >= 10, "highlights: {}", marks.len());
    let first_mark = marks[0].text().await.unwrap();
    assert!(
        first_mark.contains("تعويض")
            || first_mark.contains("الضحايا")
            || first_mark.contains("تعويضات"),
        "highlighted {first_mark:?}"
    );
    shot(c, "search").await;

    // Open the result about compensation in meeting II.
    click(c, "ol.hits a[href='/provisions/A.2.49']", "A.2.49 hit").await;
    assert_eq!(text_of(c, "h1").await, "الجزء ألف، ثانياً-49");
    assert_rtl(c, "provision").await;
    let source = text_of(c, "p.source").await;
    assert!(source.contains("CTOC/COP/WG.4/2010/6"), "{source}");
    // The copy-citation button is shown by the script, and copies.
    let button = c
        .find(Locator::Css("button.copy"))
        .await
        .expect("copy button");
    assert!(
        button.is_displayed().await.unwrap(),
        "script shows the button"
    );
    button.click().await.expect("copy");
    c.wait()
        .for_element(Locator::XPath(
            "//span[@id='copy-status' and normalize-space(text())!='']",
        ))
        .await
        .expect("copy status");
    assert_eq!(text_of(c, "#copy-status").await, "نُسخ المرجع");
    assert!(
        button
            .attr("data-copied")
            .await
            .unwrap()
            .unwrap_or_default()
            .ends_with("الجزء ألف، ثانياً-49 (CTOC/COP/WG.4/2010/6، الفقرة 56)")
    );
    shot(c, "provision").await;

    // A citation typed in the search box jumps to the provision; follow its
    // cross-reference (II-8 refers to the recommendation of meeting I).
    // (the header's search box, submitted with Enter)
    let q = c.find(Locator::Id("hq")).await.expect("header search box");
    q.send_keys("II-8\u{E007}")
        .await
        .expect("type and press Enter");
    c.wait()
        .for_element(Locator::Css("ol.hits"))
        .await
        .expect("results");
    let first = c
        .find(Locator::Css("ol.hits > li > a"))
        .await
        .expect("first hit");
    assert_eq!(
        first.attr("href").await.unwrap().as_deref(),
        Some("/provisions/A.2.8")
    );
    first.click().await.expect("open II-8");
    let xref = c
        .find(Locator::Css("ul.xrefs a.xref"))
        .await
        .expect("a cross-reference");
    assert_eq!(
        xref.attr("href").await.unwrap().as_deref(),
        Some("/provisions/A.1.16")
    );
    xref.click().await.expect("follow");
    assert_eq!(text_of(c, "h1").await, "الجزء ألف، أولاً-16");
    // … and the target lists where it is cited from.
    assert!(text_of(c, "ul.cited-by").await.contains("ثانياً-8"));
    shot(c, "cross-reference").await;

    // Topics: the heatmap, one linked cell per topic and section.
    c.goto(&format!("{base}/")).await.unwrap();
    click(c, "a[href='/topics']", "topics link").await;
    assert_rtl(c, "topics").await;
    let cells = js(
        c,
        "return document.querySelectorAll('.heatmap svg a rect').length;",
    )
    .await;
    assert_eq!(cells, 78 * 14);
    let svg_width = js(
        c,
        "return document.querySelector('.heatmap svg').getBoundingClientRect().width;",
    )
    .await;
    assert!(
        svg_width.as_f64().unwrap_or(0.0) > 900.0,
        "heatmap drawn: {svg_width}"
    );
    shot(c, "topics-heatmap").await;
    // Click the cell of compensation × meeting IV.
    js(
        c,
        "for (const r of document.querySelectorAll('.heatmap svg a rect')) {
           if (r.querySelector('title').textContent === 'victims.compensation A.4: 8') { r.scrollIntoView(); }
         } return null;",
    )
    .await;
    let cell = c
        .find(Locator::XPath("//*[local-name()='a'][*[local-name()='rect']/*[local-name()='title' and text()='victims.compensation A.4: 8']]/*[local-name()='rect']"))
        .await
        .expect("heatmap cell");
    cell.click().await.expect("click cell");
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/topics/victims.compensation"
    );
    assert_rtl(c, "topic").await;
    let groups = c.find_all(Locator::Css("main h2 a")).await.unwrap();
    let mut sections = Vec::new();
    for g in groups {
        sections.push(g.attr("href").await.unwrap().unwrap_or_default());
    }
    assert!(
        sections.contains(&"/sections/A.4".to_owned()),
        "{sections:?}"
    );
    assert!(
        sections.contains(&"/sections/A.5".to_owned()),
        "{sections:?}"
    );
    shot(c, "topic").await;

    // A hostile query is shown as text and nothing runs.
    for payload in [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
    ] {
        let url = format!(
            "{base}/search?q={}",
            payload
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        );
        c.goto(&url).await.expect("hostile search");
        assert!(
            c.get_alert_text().await.is_err(),
            "an alert opened for {payload}"
        );
        let v = js(
            c,
            "return [document.getElementById('q').value, document.scripts.length,
                     document.scripts[0].getAttribute('src'), document.querySelectorAll('main img').length,
                     document.title];",
        )
        .await;
        assert_eq!(v[0], payload, "the box shows the query as typed");
        assert_eq!(v[1], 1, "only the site's own script");
        assert_eq!(v[2], "/assets/app.js");
        assert_eq!(v[3], 0, "no injected element");
        // Both are searched (the title shows it); the second has an
        // unbalanced quote, which the page closes and says so.
        let title = v[4].as_str().unwrap_or("");
        assert!(title.starts_with("بحث:"), "title {title}");
        if !payload.starts_with("<script") {
            let said = js(c, "return document.querySelector('main').textContent;").await;
            assert!(
                said.as_str().unwrap_or("").contains("أُغلقت علامة التنصيص"),
                "{said}"
            );
        }
    }
    shot(c, "xss").await;

    // The English interface has addresses of its own, and back.
    c.goto(&format!("{base}/provisions/A.2.55")).await.unwrap();
    click(c, "nav.lang a", "toggle").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/en/provisions/A.2.55"
    );
    let v = js(c, "return [document.documentElement.lang, getComputedStyle(document.body).direction, getComputedStyle(document.querySelector('div.text')).direction];").await;
    assert_eq!(
        v,
        json!(["en", "ltr", "rtl"]),
        "English interface, Arabic text"
    );
    assert_eq!(text_of(c, "h1").await, "Part A, II-55");
    shot(c, "provision-en").await;
    // Its similar provisions: five, shared wording marked, each a link.
    let v = js(c, "const s = document.querySelector('section.similar'); s.scrollIntoView(); return [s.querySelectorAll('ol.similar-list > li').length, s.querySelectorAll('mark').length > 0, [...s.querySelectorAll('ol.similar-list > li > a')].map(a => a.getAttribute('href'))];").await;
    assert_eq!(v[0], json!(5), "{v}");
    assert_eq!(v[1], json!(true), "{v}");
    assert!(
        v[2].as_array()
            .unwrap()
            .iter()
            .all(|h| h.as_str().unwrap().starts_with("/en/provisions/A.")),
        "{v}"
    );
    shot(c, "provision-similar").await;
    click(c, "nav.lang a", "language switch").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/provisions/A.2.55");
    assert_rtl(c, "provision after toggling back").await;

    // A draft pasted and checked, no script needed: what is agreed
    // verbatim marked, what is new underlined, the compared provision
    // linked.
    c.goto(&format!("{base}/draft")).await.unwrap();
    assert_rtl(c, "draft page").await;
    c.find(Locator::Css("#draft-text"))
        .await
        .expect("textarea")
        .send_keys("ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية، بما في ذلك القضاة.\nوتدعو الدول إلى إنشاء صناديق وطنية جديدة.")
        .await
        .unwrap();
    click(c, "form.draft button[type=submit]", "check button").await;
    c.wait()
        .for_element(Locator::Css("ol.clauses"))
        .await
        .expect("results");
    assert_eq!(c.current_url().await.unwrap().path(), "/draft");
    let v = js(c, "const cl = [...document.querySelectorAll('ol.clauses > li')]; return [cl.length, cl[0].querySelector('.clause-text mark').textContent, cl[0].querySelector('.clause-text ins').textContent, cl[0].querySelector('.compared a').getAttribute('href'), (document.querySelector('p.summary').textContent.match(/التغطية الحرفية \\d+٪: \\d+/) || [''])[0]];").await;
    assert_eq!(
        v,
        json!([
            2,
            "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية",
            "، بما في ذلك القضاة.",
            "/provisions/A.2.55",
            "التغطية الحرفية 54٪: 13"
        ]),
        "{v}"
    );
    js(
        c,
        "document.querySelector('section.draft-results').scrollIntoView(); return null;",
    )
    .await;
    shot(c, "draft").await;

    // The drafting basket, no script needed: two provisions added from
    // their pages, the second moved up, the downloads linked in that order.
    for id in ["A.2.44", "B.5.1"] {
        c.goto(&format!("{base}/provisions/{id}")).await.unwrap();
        click(c, "form.basket-add button", "add button").await;
        c.wait()
            .for_element(Locator::Css("p.basket-state"))
            .await
            .expect("back on the provision, in the basket");
        assert_eq!(
            c.current_url().await.unwrap().path(),
            format!("/provisions/{id}")
        );
    }
    c.goto(&format!("{base}/basket")).await.unwrap();
    assert_rtl(c, "basket").await;
    click(
        c,
        "ol.basket > li:nth-child(2) button[type=submit]",
        "move up",
    )
    .await;
    // The basket page again, once the moved provision leads (waiting for
    // the list alone could read the page before the form's answer).
    c.wait()
        .for_element(Locator::Css(
            "ol.basket > li:first-child > a[href='/provisions/B.5.1']",
        ))
        .await
        .expect("the basket again, B.5.1 first");
    let v = js(c, "return [[...document.querySelectorAll('ol.basket > li > a')].map(a => a.getAttribute('href')), document.querySelector('ul.downloads a').getAttribute('href')];").await;
    assert_eq!(
        v,
        json!([
            ["/provisions/B.5.1", "/provisions/A.2.44"],
            "/basket/download?ids=B.5.1,A.2.44&format=docx&lang=ar"
        ]),
        "{v}"
    );
    shot(c, "basket").await;

    tour(c, base).await;
}

/// Waits until the editor page says `what` was done (a form post lands
/// on a new page: the old one's notice must not count).
async fn wait_done(c: &Client, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = js(
            c,
            "const d = document.querySelector('p.done code'); return d ? d.textContent : '';",
        )
        .await;
        if v == json!(what) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "waited for «{what}», page says {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The editor: a meeting pasted and imported, the index cross-check
/// shown, a suggested topic accepted, a stale form refused, the draft
/// published — all plain form posts.
async fn editor_journey(c: &Client, base: &str, key: &str) {
    let meeting = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/synthetic/meeting-10.ar.txt"),
    )
    .unwrap();
    c.goto(&format!("{base}/editor")).await.unwrap();
    assert_rtl(c, "editor").await;
    let stale_tag = js(c, "return document.querySelector('input[name=tag]').value;").await;
    // The text area filled by script (typing 2 KB of Arabic is slow), the
    // rest typed.
    js(
        c,
        &format!(
            "document.querySelector('form[action=\"/editor/meeting\"] textarea').value = {}; return null;",
            json!(meeting)
        ),
    )
    .await;
    let form = c
        .find(Locator::Css("form[action='/editor/meeting']"))
        .await
        .unwrap();
    form.find(Locator::Css("input[name=file]"))
        .await
        .unwrap()
        .send_keys("meeting-10.ar.txt")
        .await
        .unwrap();
    form.find(Locator::Css("input[name=key]"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_done(c, "import-meeting A.10").await;
    let v = js(c, "return [document.querySelector('p.done code').textContent, [...document.querySelectorAll('ul.checks li')].length, [...document.querySelectorAll('section.added h3')].map(h => h.textContent).slice(0, 2)];").await;
    assert_eq!(
        v,
        json!([
            "import-meeting A.10",
            4,
            ["الجزء ألف، عاشراً-1", "الجزء ألف، عاشراً-2"]
        ]),
        "{v}"
    );
    shot(c, "editor").await;
    // A suggested topic accepted for the first new paragraph: it leaves
    // the cross-check.
    let first = c
        .find(Locator::Css("section.added ul.suggested li form"))
        .await
        .unwrap();
    let topic = js(c, "return document.querySelector('section.added ul.suggested li form input[name=topic]').value;").await;
    first
        .find(Locator::Css("input[name=key]"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
    first
        .find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_done(c, "file A.10.1").await;
    let v = js(
        c,
        "return [...document.querySelectorAll('ul.checks li')].length;",
    )
    .await;
    assert_eq!(v, json!(3), "{v} ({topic})");
    // A form from before the import is stale: refused, nothing stored.
    c.goto(&format!("{base}/editor")).await.unwrap();
    js(
        c,
        &format!(
            "const f = document.querySelector('form[action=\"/editor/publish\"]'); f.querySelector('input[name=tag]').value = {stale_tag}; f.querySelector('input[name=name]').value = '2022'; f.querySelector('input[name=key]').value = {}; f.submit(); return null;",
            json!(key)
        ),
    )
    .await;
    c.wait()
        .for_element(Locator::Css("p.error"))
        .await
        .expect("refused");
    let refused = text_of(c, "p.error").await;
    assert!(refused.contains("تغيّرت المسودة"), "{refused}");
    // Published with the current tag.
    let form = c
        .find(Locator::Css("form[action='/editor/publish']"))
        .await
        .unwrap();
    form.find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys("2022")
        .await
        .unwrap();
    form.find(Locator::Css("input[name=key]"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_done(c, "edition 2022").await;
}

/// axe-core, installed by `npm ci --prefix crates/fihris-server/tests/axe`.
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/axe/node_modules/axe-core/axe.min.js"
);

/// Every page type, in both languages, on a desktop and on a phone-sized
/// window: axe-core finds no violation of WCAG 2.1 A/AA or best practice,
/// and on the phone nothing is wider than the window.
async fn tour(c: &Client, base: &str) {
    let axe = std::fs::read_to_string(AXE).unwrap_or_else(|e| {
        panic!("{AXE}: {e}: run `npm ci --prefix crates/fihris-server/tests/axe` (or set FIHRIS_SKIP_BROWSER=1)")
    });
    let pages = [
        ("home", "/".to_owned()),
        (
            "search",
            format!(
                "/search?q={}",
                "%D8%AA%D8%B9%D9%88%D9%8A%D8%B6%20%D8%A7%D9%84%D8%B6%D8%AD%D8%A7%D9%8A%D8%A7"
            ),
        ),
        ("search-error", "/search?q=%2A".to_owned()),
        (
            "search-english",
            "/search?q=victims%20compensation".to_owned(),
        ),
        ("provision", "/provisions/A.2.8".to_owned()),
        ("provision-b", "/provisions/B.5.pp11".to_owned()),
        ("section", "/sections/B.5".to_owned()),
        ("topics-heatmap", "/topics".to_owned()),
        ("topic", "/topics/victims.compensation".to_owned()),
        ("documents", "/documents".to_owned()),
        ("document", "/documents/CTOC/COP/WG.4/2010/6".to_owned()),
        ("findings", "/findings".to_owned()),
        ("draft", "/draft".to_owned()),
        ("basket", "/basket".to_owned()),
        ("downloads", "/downloads".to_owned()),
        ("phrases", "/phrases".to_owned()),
        ("editions", "/editions".to_owned()),
        ("editor", "/editor".to_owned()),
        ("not-found", "/no/such/page".to_owned()),
    ];
    let mut problems = Vec::new();
    for (w, h, size) in [(1280, 1000, "desktop"), (390, 844, "mobile")] {
        c.set_window_size(w, h).await.expect("window size");
        for lang in ["", "/en"] {
            for (name, path) in &pages {
                let url = format!("{base}{lang}{path}");
                c.goto(&url).await.expect("page");
                if size == "mobile" {
                    let v = js(
                        c,
                        "return [document.documentElement.scrollWidth, window.innerWidth];",
                    )
                    .await;
                    let (scroll, inner) = (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0));
                    if scroll > inner {
                        problems.push(format!(
                            "{lang}{path} at {w}px: page is {scroll}px wide, window {inner}px"
                        ));
                    }
                    if lang.is_empty() || matches!(*name, "home" | "search" | "provision") {
                        let prefix = if lang.is_empty() { "" } else { "en-" };
                        shot(c, &format!("mobile-{prefix}{name}")).await;
                    }
                }
                for v in axe_violations(c, &axe).await {
                    problems.push(format!("{lang}{path} ({size}): {v}"));
                }
            }
        }
    }
    c.set_window_size(1280, 1000).await.expect("window size");
    // The check can fail: an image without a text alternative is reported.
    js(
        c,
        "const i = document.createElement('img'); i.src = '/assets/none.png'; document.querySelector('main').appendChild(i); return null;",
    )
    .await;
    let planted = axe_violations(c, &axe).await;
    assert!(
        planted.iter().any(|v| v.contains(" image-alt: ")),
        "{planted:?}"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The violations axe-core finds in the page: "impact rule: targets".
async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .expect("axe injected");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
               .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))),
                     e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe ran");
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}
