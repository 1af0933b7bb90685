#!/usr/bin/env bash
# Builds the offline test image shoal-test/busybox:latest from Debian's busybox-static, with no
# registry: busybox and its applet links in an empty tree, imported with `docker import`.
# Rebuilt only when missing (or with --force).
set -euo pipefail
image=shoal-test/busybox:latest
if [ "${1:-}" != "--force" ] && docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/www" "$dir/tmp" "$dir/etc"
cp /usr/bin/busybox "$dir/bin/busybox"
for applet in sh ash sleep httpd nc wget echo cat ls ps kill true false env hostname id top \
              nslookup ping ip ifconfig grep sed awk head tail wc date mkdir rm touch; do
  ln -s busybox "$dir/bin/$applet"
done
echo 'hello from shoal' > "$dir/www/index.html"
echo 'root:x:0:0:root:/:/bin/sh' > "$dir/etc/passwd"
chmod 1777 "$dir/tmp"
tar -C "$dir" -c . | docker import \
  -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' -m 'shoal offline test image (busybox-static)' - "$image" >/dev/null
echo "[setup] built $image"
