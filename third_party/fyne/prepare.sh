#!/usr/bin/env bash
# Makes build/fyne: the Fyne module go.mod requires, with ProcLab's change to
# its desktop event loop (see README.md here), and build/go.work, the
# workspace that builds the window against it (make sets GOWORK to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
# The module as go.mod has it, not the workspace this makes.
export GOWORK=off
here=third_party/fyne
version=v2.7.1
# The upstream files the change replaces, as they were when it was made:
# path in the module, and its SHA-256.
replaced=(
	internal/driver/glfw/loop.go d15914b9536c96cfdb7627b6b78b7ca3ad31b56428b2061f8421e93bbe859e45
	internal/painter/font.go 7cfee822db37023e1a0d73b20acc34306318a6327d1c99377f6849d65fa3ca73
)

required=$(go list -m -f '{{.Version}}' fyne.io/fyne/v2)
if [ "$required" != "$version" ]; then
	echo "go.mod requires Fyne $required, and $here was made from Fyne $version:" >&2
	echo "apply the changes to that version's files (see $here/README.md) and update version and replaced in $0" >&2
	exit 1
fi
src=$(go mod download -json fyne.io/fyne/v2@"$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
if [ -z "$src" ] || [ ! -f "$src/internal/driver/glfw/loop.go" ]; then
	echo "could not download Fyne $version (go mod download fyne.io/fyne/v2@$version)" >&2
	exit 1
fi
for ((i = 0; i < ${#replaced[@]}; i += 2)); do
	file=${replaced[i]}
	if [ "$(sha256sum < "$src/$file" | cut -d' ' -f1)" != "${replaced[i+1]}" ]; then
		echo "Fyne $version's $file is not the one $here/$(basename "$file") was made from" >&2
		exit 1
	fi
done

out=build/fyne
rm -rf "$out.tmp"
mkdir -p build
cp -R "$src" "$out.tmp"
chmod -R u+w "$out.tmp"
cp "$here"/loop.go "$here"/loop_wait_desktop.go "$here"/loop_wait_wasm.go "$out.tmp/internal/driver/glfw/"
cp "$here"/animation_running.go "$out.tmp/internal/animation/"
cp "$here"/canvas_dirty.go "$out.tmp/internal/driver/common/"
cp "$here"/font.go "$here"/font_parsed.go "$here"/font_lazy.go "$out.tmp/internal/painter/"
rm -rf "$out"
mv "$out.tmp" "$out"
cat > build/go.work <<WORK
// Made by $here/prepare.sh: the window is built against Fyne $version
// with ProcLab's changes to its event loop and font loading.
go $(go list -m -f '{{.GoVersion}}')

use ..

replace fyne.io/fyne/v2 $version => ./fyne
WORK
