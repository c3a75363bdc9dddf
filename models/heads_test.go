package models_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"qingdan/dbtest"
	"qingdan/models"
)

// An instance listening for publications keeps the current versions in
// memory and learns of a publication through another store from the
// database's notification; when its listener is cut off it looks every head
// up again, and keeps them again once the listener is back.
func TestListHeadsFollowNotifications(t *testing.T) {
	ctx := context.Background()
	u := dbtest.URL(t, "postgres")
	writer := dbtest.OpenURL(t, u)
	listID := importSample(t, writer, "heads").ListID

	// Every instance listens; a publication returns once every listener has
	// acknowledged its notification.
	writer.Listen(u)
	proxy := startProxy(t, u)
	reader := dbtest.OpenURL(t, u)
	reader.Listen(proxy.url)
	waitFor(t, "the listeners to start", func() bool { return writer.HeadsListening() && reader.HeadsListening() })

	head := func() int {
		t.Helper()
		h, err := reader.ListHead(ctx, listID)
		if err != nil {
			t.Fatal(err)
		}
		return h.Version
	}
	publish := func(base int) {
		t.Helper()
		if err := writer.Transaction(ctx, func(tx *models.Store) error {
			_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: listID, BaseVersion: base})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A change of current_version behind the store's back sends no
	// notification: whether it shows tells memory from a lookup.
	sneak := func(v int) {
		t.Helper()
		if err := writer.DB(ctx).Exec("UPDATE lists SET current_version = ? WHERE id = ?", v, listID).Error; err != nil {
			t.Fatal(err)
		}
	}

	if head() != 1 {
		t.Fatal("a new list is not at version 1")
	}
	publish(1)
	if v := head(); v != 2 {
		t.Fatalf("the next read after a publication through another instance: version %d, want 2", v)
	}
	sneak(99)
	if v := head(); v != 2 {
		t.Fatalf("version %d: a listening instance looked the head up instead of keeping it", v)
	}
	sneak(2)

	proxy.stop()
	waitFor(t, "the listener to notice it is cut off", func() bool { return !reader.HeadsListening() })
	sneak(99)
	if v := head(); v != 99 {
		t.Fatalf("without its listener the instance answered version %d from memory, want the database's 99", v)
	}
	sneak(2)
	publish(2)
	if v := head(); v != 3 {
		t.Fatalf("a publication while the listener is down: version %d, want 3", v)
	}

	proxy.start()
	waitFor(t, "the listener to come back", reader.HeadsListening)
	publish(3)
	if v := head(); v != 4 {
		t.Fatalf("the next read after a publication, the listener back: version %d, want 4", v)
	}
	sneak(99)
	if v := head(); v != 4 {
		t.Fatal("the listener came back but the heads are not kept again")
	}
	sneak(4)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// proxy forwards TCP connections to the database; stopped, it cuts every
// connection and refuses new ones, as a network failure would.
type proxy struct {
	t      *testing.T
	target string
	addr   string
	url    string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func startProxy(t *testing.T, dbURL string) *proxy {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: u.Host, addr: "127.0.0.1:0"}
	p.start()
	u.Host = p.addr
	p.url = u.String()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, d)
			p.mu.Unlock()
			go func() { io.Copy(d, c); d.Close() }()
			go func() { io.Copy(c, d); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
