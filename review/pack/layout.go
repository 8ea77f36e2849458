package pack

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Zip record signatures and sizes (APPNOTE.TXT §4.3).
const (
	sigLocal       = 0x04034b50
	sigDescriptor  = 0x08074b50
	sigEnd         = 0x06054b50
	sigEnd64       = 0x06064b50
	sigLocator64   = 0x07064b50
	localLen       = 30
	endLen         = 22
	locator64Len   = 20
	zip64ExtraID   = 0x0001
	extTimeExtraID = 0x5455 // extended timestamp, which archive/zip writes
	flagDescriptor = 0x8
)

// layout walks the archive from its first byte to the central directory
// and checks that it is exactly a run of entries, each local header
// agreeing with its central directory record. archive/zip reads only the
// central directory, but streaming unzippers read the local headers: a
// package whose two copies of a name differ would unpack one way for us
// and another way for them. Requiring a gapless layout also means no byte
// before, between or after the entries goes unread, so a single changed
// byte almost anywhere in the file is refused, not only in the content.
func layout(r io.ReaderAt, size int64, zr *zip.Reader) error {
	_, err := layoutEnd(r, size, zr)
	return err
}

// layoutEnd is layout, also returning where the central directory starts.
func layoutEnd(r io.ReaderAt, size int64, zr *zip.Reader) (int64, error) {
	if zr.Comment != "" {
		return 0, errors.New("压缩包带有注释")
	}
	cdStart, cdEnd, err := centralDirectory(r, size)
	if err != nil {
		return 0, err
	}
	files := slices.Clone(zr.File)
	offsets := make(map[*zip.File]int64, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return 0, fmt.Errorf("“%s”：本地文件头无法读取", f.Name)
		}
		offsets[f] = off
	}
	slices.SortFunc(files, func(a, b *zip.File) int { return cmp.Compare(offsets[a], offsets[b]) })

	var at int64
	for _, f := range files {
		next, err := localEntry(r, at, f, offsets[f])
		if err != nil {
			return 0, fmt.Errorf("“%s”：%w", f.Name, err)
		}
		at = next
	}
	if at != cdStart {
		return 0, fmt.Errorf("条目之后、中央目录之前有 %d 字节未知数据", cdStart-at)
	}
	if cdEnd > size {
		return 0, errors.New("中央目录超出文件末尾")
	}
	return cdStart, nil
}

// centralDirectory finds where the central directory starts and ends,
// requiring the end record to close the file (no trailing bytes).
func centralDirectory(r io.ReaderAt, size int64) (start, end int64, err error) {
	var eocd [endLen]byte
	if size < endLen {
		return 0, 0, errors.New("文件过短")
	}
	if _, err := r.ReadAt(eocd[:], size-endLen); err != nil {
		return 0, 0, err
	}
	le := binary.LittleEndian
	if le.Uint32(eocd[0:]) != sigEnd || le.Uint16(eocd[20:]) != 0 {
		return 0, 0, errors.New("文件末尾不是 zip 目录结束记录（可能附加了数据）")
	}
	// One disk, all entries on it: zip's multi-volume fields have no use
	// here, and fixing them leaves no byte of the end record unchecked.
	if le.Uint16(eocd[4:]) != 0 || le.Uint16(eocd[6:]) != 0 || le.Uint16(eocd[8:]) != le.Uint16(eocd[10:]) {
		return 0, 0, errors.New("zip 目录结束记录含分卷信息")
	}
	cdSize, cdOff := int64(le.Uint32(eocd[12:])), int64(le.Uint32(eocd[16:]))
	end = size - endLen
	if cdOff == math.MaxUint32 || cdSize == math.MaxUint32 || le.Uint16(eocd[10:]) == math.MaxUint16 {
		var loc [locator64Len]byte
		if size < endLen+locator64Len {
			return 0, 0, errors.New("zip64 定位记录缺失")
		}
		if _, err := r.ReadAt(loc[:], size-endLen-locator64Len); err != nil {
			return 0, 0, err
		}
		if le.Uint32(loc[0:]) != sigLocator64 {
			return 0, 0, errors.New("zip64 定位记录缺失")
		}
		end64 := int64(le.Uint64(loc[8:]))
		var rec [56]byte
		if end64 < 0 || end64 > size-int64(len(rec)) {
			return 0, 0, errors.New("zip64 目录结束记录位置无效")
		}
		if _, err := r.ReadAt(rec[:], end64); err != nil {
			return 0, 0, err
		}
		if le.Uint32(rec[0:]) != sigEnd64 || end64+56 != size-endLen-locator64Len {
			return 0, 0, errors.New("zip64 目录结束记录无效")
		}
		cdSize, cdOff, end = int64(le.Uint64(rec[40:])), int64(le.Uint64(rec[48:])), end64
	}
	if cdOff < 0 || cdSize < 0 || cdOff+cdSize != end {
		return 0, 0, errors.New("中央目录与目录结束记录之间有未知数据")
	}
	return cdOff, end, nil
}

// localEntry checks the local header at offset at against f's central
// record and returns the offset just past the entry's data descriptor.
func localEntry(r io.ReaderAt, at int64, f *zip.File, dataOffset int64) (int64, error) {
	le := binary.LittleEndian
	var h [localLen]byte
	if _, err := r.ReadAt(h[:], at); err != nil {
		return 0, errors.New("本地文件头不在预期位置")
	}
	nameLen, extraLen := int64(le.Uint16(h[26:])), int64(le.Uint16(h[28:]))
	if le.Uint32(h[0:]) != sigLocal || at+localLen+nameLen+extraLen != dataOffset {
		return 0, errors.New("本地文件头不在预期位置（条目之间有未知数据）")
	}
	ne := make([]byte, nameLen+extraLen)
	if _, err := r.ReadAt(ne, at+localLen); err != nil {
		return 0, err
	}
	name, extra := string(ne[:nameLen]), ne[nameLen:]
	zip64 := f.CompressedSize64 >= math.MaxUint32 || f.UncompressedSize64 >= math.MaxUint32
	switch {
	case name != f.Name:
		return 0, fmt.Errorf("本地文件头中的文件名为“%s”，与中央目录不一致", name)
	case le.Uint16(h[6:]) != f.Flags, le.Uint16(h[8:]) != f.Method,
		le.Uint16(h[10:]) != f.ModifiedTime, le.Uint16(h[12:]) != f.ModifiedDate,
		!zip64 && le.Uint16(h[4:]) != f.ReaderVersion:
		return 0, errors.New("本地文件头与中央目录不一致")
	case !bytes.Equal(withoutZip64(extra), withoutZip64(f.Extra)):
		return 0, errors.New("本地文件头的扩展字段与中央目录不一致")
	case f.Comment != "":
		return 0, errors.New("条目带有注释")
	}
	crc, csize, usize := le.Uint32(h[14:]), le.Uint32(h[18:]), le.Uint32(h[22:])
	end := dataOffset + int64(f.CompressedSize64)
	if f.Flags&flagDescriptor == 0 {
		if crc != f.CRC32 || (!zip64 && (uint64(csize) != f.CompressedSize64 || uint64(usize) != f.UncompressedSize64)) {
			return 0, errors.New("本地文件头的校验值或大小与中央目录不一致")
		}
		return end, nil
	}
	if crc != 0 || csize != 0 || usize != 0 {
		return 0, errors.New("本地文件头的校验值或大小应为零（已使用数据描述符）")
	}
	// The data descriptor, with its optional signature; the sizes are 8
	// bytes each for zip64 entries.
	n := 16
	if zip64 {
		n = 24
	}
	d := make([]byte, n)
	if _, err := r.ReadAt(d, end); err != nil {
		return 0, errors.New("数据描述符缺失")
	}
	if le.Uint32(d[0:]) != sigDescriptor || le.Uint32(d[4:]) != f.CRC32 {
		return 0, errors.New("数据描述符与中央目录不一致")
	}
	if zip64 {
		if le.Uint64(d[8:]) != f.CompressedSize64 || le.Uint64(d[16:]) != f.UncompressedSize64 {
			return 0, errors.New("数据描述符中的大小与中央目录不一致")
		}
	} else if uint64(le.Uint32(d[8:])) != f.CompressedSize64 || uint64(le.Uint32(d[12:])) != f.UncompressedSize64 {
		return 0, errors.New("数据描述符中的大小与中央目录不一致")
	}
	return end + int64(n), nil
}

// withoutZip64 drops zip64 extra blocks, which legitimately appear in the
// central directory only (offsets past 4 GiB) and otherwise hold the same
// sizes that are compared field by field.
func withoutZip64(extra []byte) []byte {
	var out []byte
	for len(extra) >= 4 {
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+n > len(extra) {
			break
		}
		if id != zip64ExtraID {
			out = append(out, extra[:4+n]...)
		}
		extra = extra[4+n:]
	}
	return append(out, extra...)
}
