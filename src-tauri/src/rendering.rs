//! On Linux without a GPU (virtual machines, remote desktops, thin clients, Xvfb) WebKitGTK
//! composites the page through Mesa's software rasterizer: the web process then holds about
//! 80 MB more and the start needs a quarter more CPU (docs/benchmarks.md), for nothing a GPU
//! would give. There the app paints without compositing, which is what WebKitGTK's own
//! `WEBKIT_DISABLE_COMPOSITING_MODE` does. With a GPU, or when the user set that variable or
//! `WEBKIT_FORCE_COMPOSITING_MODE`, nothing changes; other systems are left alone.

/// Must run before any thread starts: it sets the variable WebKit reads when it starts.
pub fn paint_without_compositing_when_no_gpu() {
    #[cfg(target_os = "linux")]
    {
        const DISABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        const FORCE: &str = "WEBKIT_FORCE_COMPOSITING_MODE";
        if std::env::var_os(DISABLE).is_some() || std::env::var_os(FORCE).is_some() || has_gpu() {
            return;
        }
        tracing::info!("no GPU: the window paints without compositing");
        // Programs the app opens (a browser for a link) inherit it; on this machine that only
        // spares them the same software compositing.
        std::env::set_var(DISABLE, "1");
    }
}

/// Whether a GPU driver could be used: Mesa's hardware drivers open a DRM render node, NVIDIA's
/// own driver may work through its control device alone.
#[cfg(target_os = "linux")]
fn has_gpu() -> bool {
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    });
    render_node || std::path::Path::new("/dev/nvidiactl").exists()
}
