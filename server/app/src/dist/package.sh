#!/usr/bin/env bash
# Builds the distribution from the packaged application (server/app/target): the archive
# keyhole-VERSION.tar.gz, a jlink runtime, and the Debian package keyhole_VERSION_amd64.deb with
# that runtime inside. Called by `./keyhole package` after `mvn package`; needs a JDK (jlink) and
# dpkg-deb. Output: server/app/target/dist/.
set -euo pipefail

app="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
root="$(cd "$app/../.." && pwd)"
dist_src="$app/src/dist"
target="$app/target"
: "${JAVA_HOME:?JAVA_HOME must name a JDK (jlink)}"

jar="$(ls "$target"/keyhole-app-*.jar | grep -v -e sources -e tests | head -n1)"
version="$(basename "$jar" .jar | sed 's/^keyhole-app-//')"
out="$target/dist"
name="keyhole-$version"
rm -rf "$out"
mkdir -p "$out"

# 1. the archive: runs on any Java 21+ runtime, a JRE included
tree="$out/$name"
mkdir -p "$tree/bin" "$tree/lib" "$tree/conf"
install -m 0755 "$dist_src/bin/keyhole" "$tree/bin/keyhole"
cp "$jar" "$target"/lib/*.jar "$tree/lib/"
cp "$dist_src/conf/keyhole.yaml" "$tree/conf/keyhole.yaml"
cp "$root/LICENSE" "$root/README.md" "$tree/"
cp -r "$root/docs" "$tree/docs"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"

# 2. a runtime trimmed to what the application uses (jdeps over the application and its
#    libraries on the class path), plus what is reached only by reflection or service lookup:
#    EC keys for TLS, JNDI for Netty's DNS resolver, the XML parser of logback's configuration
modules="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps --recursive \
  --class-path "$target/lib/*" "$jar")"
modules="$(echo "$modules,java.logging,java.naming,java.xml,jdk.crypto.ec" | tr ',' '\n' | sort -u | paste -sd,)"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files \
  --no-man-pages --compress=zip-6 --output "$out/runtime"
echo "$modules" > "$out/runtime.modules"

# 3. the Debian package: /opt/keyhole with its runtime, /etc/keyhole, the unit, logrotate
deb="$out/deb"
mkdir -p "$deb/opt/keyhole" "$deb/etc/keyhole" "$deb/lib/systemd/system" "$deb/etc/logrotate.d" "$deb/usr/bin" \
  "$deb/DEBIAN"
cp -r "$tree/bin" "$tree/lib" "$tree/docs" "$tree/LICENSE" "$tree/README.md" "$deb/opt/keyhole/"
cp -r "$out/runtime" "$deb/opt/keyhole/runtime"
# an amd64 package: the other platforms' native libraries stay in the archive only
rm -f "$deb"/opt/keyhole/lib/*-osx-*.jar "$deb"/opt/keyhole/lib/*-windows-*.jar "$deb"/opt/keyhole/lib/*-aarch_64.jar
# the JDK 25+ ahead-of-time cache (classes loaded and linked, method profiles) from a training run
# on the package's own runtime and jars: still valid where they are installed (/opt/keyhole)
runtime_feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$deb/opt/keyhole/runtime/release")"
if [ "${runtime_feature:-0}" -ge 25 ]; then
  training="$(mktemp -d)"
  password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  if "$deb/opt/keyhole/runtime/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      -XX:AOTCacheOutput="$deb/opt/keyhole/lib/keyhole.aot" \
      -Dkeyhole.aotTraining=3000 -Dkeyhole.aotTraining.login="training:$password" \
      -cp "$deb/opt/keyhole/lib/*" dev.keyhole.ftp.cli.KeyholeCli serve --bind 127.0.0.1 --port 0 \
      --root "$training/root" --user "training:$password" --tls-dir "$training/tls" >"$training/log" 2>&1 \
      && [ -f "$deb/opt/keyhole/lib/keyhole.aot" ]; then
    chmod 0644 "$deb/opt/keyhole/lib/keyhole.aot"
  else
    echo "keyhole: the ahead-of-time training failed; the package has no cache:" >&2
    tail -n 20 "$training/log" >&2
    rm -f "$deb/opt/keyhole/lib/keyhole.aot"
  fi
  rm -rf "$training"
fi
install -m 0640 "$dist_src/conf/keyhole.yaml" "$deb/etc/keyhole/keyhole.yaml"
install -m 0644 "$dist_src/systemd/keyhole.service" "$deb/lib/systemd/system/keyhole.service"
install -m 0644 "$dist_src/logrotate/keyhole" "$deb/etc/logrotate.d/keyhole"
ln -s ../../opt/keyhole/bin/keyhole "$deb/usr/bin/keyhole"
deb_version="$(echo "$version" | sed 's/-SNAPSHOT/~SNAPSHOT/')"
size="$(du -sk --exclude=DEBIAN "$deb" | cut -f1)"
sed -e "s/@VERSION@/$deb_version/" -e "s/@SIZE@/$size/" "$dist_src/debian/control" > "$deb/DEBIAN/control"
install -m 0644 "$dist_src/debian/conffiles" "$deb/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$dist_src/debian/$script" "$deb/DEBIAN/$script"
done
dpkg-deb --root-owner-group -Zxz --build "$deb" "$out/keyhole_${deb_version}_amd64.deb" >/dev/null

echo "keyhole: built in $out:"
for f in "$out/$name.tar.gz" "$out/keyhole_${deb_version}_amd64.deb"; do
  echo "  $(basename "$f")  $(du -h "$f" | cut -f1)"
done
echo "  runtime/  $(du -sh "$out/runtime" | cut -f1) (modules: $modules)"
