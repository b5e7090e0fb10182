package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pointwise/lib/internal/atomicfile"
)

// FashionMNISTURL is where the Fashion-MNIST README
// (https://github.com/zalandoresearch/fashion-mnist) links its four .gz
// files: FashionMNISTURL + "/" + the file name. The files there have the
// second of the two sums FashionMNISTFiles lists for each. The address is
// plain HTTP, as S3 website endpoints serve no HTTPS: the sums, fixed in
// this code, are what vouch for the download.
const FashionMNISTURL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com"

// MaxDownloadBytes is the largest file Download accepts: 64 MiB, over twice
// the largest Fashion-MNIST file (train-images-idx3-ubyte.gz, about 26 MB).
// A file is held in memory until its sum has been checked, so this also
// bounds the memory a download takes.
const MaxDownloadBytes = 64 << 20

// DownloadTimeout bounds the fetch of each file, from connecting to the
// last byte: 10 minutes take 26 MB at about 350 kbit/s.
const DownloadTimeout = 10 * time.Minute

// processStart is when this process loaded the package, before any
// Download: a temporary file older than it was left by another process.
var processStart = time.Now()

// Download fetches into the folder dst (created when the first file is
// written) every file of files that dst does not already hold with one of
// the file's accepted SHA-256 sums, from baseURL + "/" + the file name
// (baseURL is http:// or https://, such as FashionMNISTURL). It returns the
// paths it wrote, in the order training images, training labels, test
// images, test labels; a second call after a successful one fetches and
// returns nothing.
//
// Each file is read into memory (at most MaxDownloadBytes, within
// DownloadTimeout), its SHA-256 checked, and only then written, atomically:
// to a temporary file in dst that is synced and renamed to the file's name
// (package atomicfile). So whatever goes wrong (an HTTP error status, a
// body cut short, a wrong sum, ctx cancelled, the time or size exceeded)
// nothing is left under the file's name nor as a temporary file, and a
// damaged file already in dst is replaced only by a verified one. Download
// also removes the temporary files of these names that a process killed
// while writing left in dst.
//
// The files are fetched one after the other and the first failure ends the
// call; the files written before it are complete and verified and stay, so
// that the next call fetches only the rest. The error names the URL and
// what went wrong: the HTTP status, the bytes read of those announced, the
// size limit, or a *ChecksumError (matching ErrChecksum) with the sum got
// and those wanted.
func Download(ctx context.Context, dst string, files Files, baseURL string) ([]string, error) {
	d := downloader{client: &http.Client{Timeout: DownloadTimeout}, maxBytes: MaxDownloadBytes}
	return d.download(ctx, dst, files, baseURL)
}

// downloader is Download with its limits as fields, so that tests can
// lower them.
type downloader struct {
	client   *http.Client // its Timeout bounds each file's fetch
	maxBytes int64        // the largest file accepted
}

// download is Download with d's limits.
func (d downloader) download(ctx context.Context, dst string, files Files, baseURL string) ([]string, error) {
	if err := files.check(); err != nil {
		return nil, err
	}
	for _, file := range files.list() {
		if strings.ContainsAny(file.Name, `/\`) || file.Name == "." || file.Name == ".." {
			return nil, fmt.Errorf("dataset: %s: file name %q: need a plain file name, without a folder, to download", files.Name, file.Name)
		}
	}
	if dst == "" {
		return nil, fmt.Errorf(`dataset: %s: download folder dst = "" (empty path): need the folder to write the files to`, files.Name)
	}
	if u, err := url.Parse(baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("dataset: %s: base URL %q: need an http:// or https:// URL with a host, such as %s", files.Name, baseURL, FashionMNISTURL)
	}
	switch st, err := os.Stat(dst); {
	case errors.Is(err, fs.ErrNotExist):
		// Created before the first write, so that a failure leaves no folder.
	case err != nil:
		return nil, fmt.Errorf("dataset: %s: the download folder: %w", files.Name, err)
	case !st.IsDir():
		return nil, fmt.Errorf("dataset: %s: the download folder %s is not a directory", files.Name, dst)
	default:
		for _, file := range files.list() {
			if _, err := atomicfile.Clean(dst, file.Name, processStart); err != nil {
				return nil, fmt.Errorf("dataset: %s: %w", files.Name, err)
			}
		}
	}
	var wrote []string
	for _, file := range files.list() {
		path := filepath.Join(dst, file.Name)
		ok, err := hasSum(path, file.SHA256)
		if err != nil {
			return wrote, fmt.Errorf("dataset: %s: checking the file already there: %w", files.Name, err)
		}
		if ok {
			continue
		}
		u := strings.TrimSuffix(baseURL, "/") + "/" + url.PathEscape(file.Name)
		data, err := d.fetch(ctx, u)
		if err != nil {
			return wrote, fmt.Errorf("dataset: %s: downloading %s: %w; nothing written to %s", files.Name, u, err, path)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); !sumOK(file.SHA256, got) {
			return wrote, fmt.Errorf("dataset: %s: downloading %s: %w; nothing written to %s", files.Name, u,
				&ChecksumError{Want: slices.Clone(file.SHA256), Got: got}, path)
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return wrote, fmt.Errorf("dataset: %s: cannot create the download folder: %w", files.Name, err)
		}
		if err := atomicfile.Write(path, data); err != nil {
			return wrote, fmt.Errorf("dataset: %s: %w", files.Name, err)
		}
		wrote = append(wrote, path)
	}
	return wrote, nil
}

// fetch returns the body of a GET of u, which must answer 200 OK with at
// most d.maxBytes bytes.
func (d downloader) fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := d.client.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // the caller names the URL already
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	if resp.ContentLength > d.maxBytes {
		return nil, fmt.Errorf("the server announces %d bytes, over the limit of %d", resp.ContentLength, d.maxBytes)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, d.maxBytes+1)); err != nil {
		if resp.ContentLength >= 0 {
			return nil, fmt.Errorf("the body broke off after %d of the %d bytes announced: %w", buf.Len(), resp.ContentLength, err)
		}
		return nil, fmt.Errorf("the body broke off after %d bytes: %w", buf.Len(), err)
	}
	if int64(buf.Len()) > d.maxBytes {
		return nil, fmt.Errorf("the body is over the limit of %d bytes", d.maxBytes)
	}
	return buf.Bytes(), nil
}

// hasSum reports whether the file at path exists and its SHA-256 is one of
// sums. A missing file is no error.
func hasSum(path string, sums []string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	return sumOK(sums, hex.EncodeToString(h.Sum(nil))), nil
}
