package vfs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// The initramfs is a cpio archive in the "newc" format (Linux
// Documentation/driver-api/early-userspace/buffer-format.rst): each entry
// is a 110-byte ASCII header, "070701" then thirteen 8-digit hex fields,
// then the NUL-terminated name padded to 4 bytes, then the data padded to 4
// bytes. The entry named "TRAILER!!!" ends it.

const cpioHeader = 110

// LoadCpio adds every entry of a newc archive to the tree: directories,
// regular files (their data copied), and symbolic links. Parents must come
// before children, as cpio -o writes them from find's output.
func (fs *FS) LoadCpio(archive []byte) (files int, err error) {
	off := 0
	for {
		if len(archive)-off < cpioHeader {
			return files, fmt.Errorf("cpio: truncated header at %d", off)
		}
		h := archive[off : off+cpioHeader]
		if string(h[:6]) != "070701" && string(h[:6]) != "070702" {
			return files, fmt.Errorf("cpio: bad magic %q at %d", h[:6], off)
		}
		var field [13]uint64
		for i := range field {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				return files, fmt.Errorf("cpio: bad field %d at %d", i, off)
			}
			field[i] = v
		}
		mode, size, namesize := uint32(field[1]), int(field[6]), int(field[11])
		off += cpioHeader
		if namesize < 1 || len(archive)-off < namesize {
			return files, fmt.Errorf("cpio: bad name size %d at %d", namesize, off)
		}
		name := string(archive[off : off+namesize-1])
		off = (off + namesize + 3) &^ 3
		if off > len(archive) || len(archive)-off < size {
			return files, fmt.Errorf("cpio: %s: data runs past the end", name)
		}
		data := archive[off : off+size]
		off = (off + size + 3) &^ 3
		if name == "TRAILER!!!" {
			return files, nil
		}
		name = strings.TrimPrefix(strings.TrimPrefix(name, "."), "/")
		if name == "" {
			continue
		}
		path := "/" + name
		switch mode & linux.S_IFMT {
		case linux.S_IFDIR:
			if err := fs.Mkdir(nil, path, mode); err != nil && err != linux.EEXIST {
				return files, fmt.Errorf("cpio: %s: %w", name, err)
			}
		case linux.S_IFREG:
			n, err := fs.Create(nil, path, mode)
			if err != nil {
				return files, fmt.Errorf("cpio: %s: %w", name, err)
			}
			n.data = append([]byte(nil), data...)
		case linux.S_IFLNK:
			if err := fs.Symlink(nil, string(data), path); err != nil {
				return files, fmt.Errorf("cpio: %s: %w", name, err)
			}
		default:
			continue // device nodes and fifos: devfs provides its own
		}
		files++
	}
}
