#!/bin/sh
# Can the browser layer run here? It needs Debian's chromium (/usr/bin/chromium) and a font with
# Chinese glyphs (fonts-noto-cjk). When either is missing and we are root on Debian (as CI is),
# install them with apt, quietly, logging to $BROWSER_APT_LOG.
# Exit 0: the browser layer can run. Exit 1: it cannot (the caller says so and skips, or fails).
set -u

CHROMIUM=/usr/bin/chromium
LOG=${BROWSER_APT_LOG:-${TMPDIR:-/tmp}/fiscallens-browser-apt.log}
PACKAGES="chromium fonts-noto-cjk fontconfig"

present() {
	[ -x "$CHROMIUM" ] && fc-list :lang=zh family 2>/dev/null | grep -q .
}

present && exit 0

if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "浏览器测试：安装 $PACKAGES / browser tests: installing $PACKAGES with apt-get (log: $LOG)"
	export DEBIAN_FRONTEND=noninteractive
	if {
		apt-get -q -o DPkg::Lock::Timeout=300 update &&
			apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $PACKAGES &&
			fc-cache -f
	} >"$LOG" 2>&1; then
		echo "浏览器测试：安装完成 / browser tests: installed"
	else
		echo "浏览器测试：apt-get 失败 / browser tests: apt-get failed; the end of $LOG:"
		tail -n 8 "$LOG" | sed 's/^/    /'
	fi
fi

present
