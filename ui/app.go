// Package ui is Qianfa's desktop interface, built with Fyne. It talks to the
// workspace only through review's store interfaces (see Services), so it never
// imports storage and its tests run on in-memory fakes without a display.
//
// The main window is a navigation column of screens (see screens.go), a top
// bar with import buttons and the current-user picker, and the selected
// screen. Each screen lives in its own file; adding one is a constructor plus
// one line in screens.
package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/comment"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// WindowTitle is the main window's title.
const WindowTitle = "签发 Qianfa — 政府信息公开发布审查"

// ImportOptions are what the import dialog asks the user before importing a
// file.
type ImportOptions struct {
	Kind   review.Kind // 文种 chosen in the dialog
	Title  string      // 标题; empty means take it from the file
	Author string      // login name of the current user
}

// ImportFunc reads the file at path and creates a document from it. Errors
// should be review errors whose message names the file and says what is wrong
// in Chinese; the dialog shows review.ErrorMessage(err). It runs off the UI
// goroutine and should stop early when ctx is cancelled.
type ImportFunc func(ctx context.Context, path string, opt ImportOptions) (*review.Document, error)

// Services are the stores and operations the interface works on. cmd/qianfa
// fills them from storage and the importer; tests fill them with fakes.
type Services struct {
	Docs     review.DocumentStore
	Users    review.UserStore
	Audit    review.AuditLog
	Settings review.SettingsStore
	Import   ImportFunc
	Review   *workflow.Service // login, inbox, decisions; nil: no login, the first clerk works (tests, sample)
	User     *review.User      // already logged in by the caller, who checked the passphrase; nil: the login dialog asks

	// Screening is confidentiality screening (the 保密筛查 tab, keyword
	// lists under 设置); nil hides both.
	Screening *screening.Service
	// Publishing is export and publication (导出发布包, 登记发布, the 已发布
	// screen's actions); nil hides them.
	Publishing Publishing
	// LoginHint, when set, is shown in the login dialog: the sample
	// workspace tells a newcomer its users and passphrase there.
	LoginHint string
	// Comments is public comment (the 征求意见 screen, the record legality
	// review sees); nil hides it.
	Comments comment.Store
}

// App is the state of the main window that screens share: the services, the
// window, the current user, and notifications between screens. Its methods
// must be called on the UI goroutine unless they say otherwise.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	svc     Services

	ctx    context.Context
	cancel context.CancelFunc

	// debounce is how long search waits after the last keystroke; tests set
	// it to zero so each keystroke searches at once.
	debounce time.Duration
	// pending counts background jobs so tests can wait for them to finish.
	pending sync.WaitGroup
	// queue, in tests, holds UI callbacks for wait to run (queueUICalls).
	queue *callQueue

	user          *review.User
	users         []review.User
	userListeners []func(*review.User)
	docListeners  []func()

	userName *widget.Label    // the top bar's current user; see current_user.go
	login    *loginForm       // the open login dialog, for tests
	lastDir  fyne.ListableURI // where the last imported file came from
	nav      *navigation
	browser  *docBrowser
}

// NewMainWindow builds Qianfa's main window on a and returns it unshown; the
// caller decides when to ShowAndRun. It installs the application theme
// (bundled CJK font) on a.
func NewMainWindow(a fyne.App, s Services, start Start) fyne.Window {
	q := newApp(a, s)
	q.startAt(start)
	return q.win
}

func newApp(a fyne.App, s Services) *App {
	a.Settings().SetTheme(NewTheme())
	ctx, cancel := context.WithCancel(context.Background())
	q := &App{fyneApp: a, svc: s, ctx: ctx, cancel: cancel, debounce: 250 * time.Millisecond}
	if queueUICalls {
		q.queue = &callQueue{}
	}
	q.win = a.NewWindow(WindowTitle)
	q.win.SetMaster()
	q.win.Resize(fyne.NewSize(1280, 800))
	q.win.SetMainMenu(q.mainMenu())
	q.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { q.importURIs(uris) })
	q.win.SetOnClosed(cancel) // stops background work that outlives the window
	q.nav = newNavigation(q)
	q.win.SetContent(q.layout())
	q.loadUsers()
	return q
}

// FyneApp returns the Fyne application the window belongs to.
func (a *App) FyneApp() fyne.App { return a.fyneApp }

// Window returns the main window, the parent for dialogs.
func (a *App) Window() fyne.Window { return a.win }

// Services returns the stores the window was built with.
func (a *App) Services() Services { return a.svc }

// Context is cancelled when the main window closes; background work should
// use it.
func (a *App) Context() context.Context { return a.ctx }

// OnDocumentsChanged registers fn to run (on the UI goroutine) after any
// screen has created or changed documents, so every list stays current.
func (a *App) OnDocumentsChanged(fn func()) { a.docListeners = append(a.docListeners, fn) }

// DocumentsChanged tells every screen that documents were created or changed.
func (a *App) DocumentsChanged() {
	for _, fn := range a.docListeners {
		fn()
	}
}

// Background runs work off the UI goroutine and then done on it with work's
// error. Screens use it for every store call, so a slow query never freezes
// the window.
func (a *App) Background(work func(ctx context.Context) error, done func(err error)) {
	a.pending.Add(1)
	go func() {
		defer a.pending.Done()
		err := work(a.ctx)
		a.do(func() { done(err) })
	}()
}

// queueUICalls makes callbacks meant for the UI goroutine wait in a queue
// that wait runs on the caller's goroutine. The ui tests set it: Fyne's test
// driver runs a fyne.Do callback at once on the calling goroutine, so
// background work would touch widgets while the test does.
var queueUICalls bool

// callQueue holds UI callbacks until wait runs them (tests only).
type callQueue struct {
	mu  sync.Mutex
	fns []func()
}

// do runs fn on the UI goroutine. Screens use it instead of fyne.Do, so
// that tests can run every UI callback on their own goroutine.
func (a *App) do(fn func()) {
	if a.queue == nil {
		fyne.Do(fn)
		return
	}
	a.queue.mu.Lock()
	a.queue.fns = append(a.queue.fns, fn)
	a.queue.mu.Unlock()
}

// ShowError shows err's user message (review.ErrorMessage, in Chinese) in a
// dialog and logs the full chain, which may hold technical details a clerk
// should not have to read.
func (a *App) ShowError(err error) {
	if err == nil {
		return
	}
	fyne.LogError("qianfa", err)
	dialog.ShowError(errors.New(review.ErrorMessage(err)), a.win)
}

// wait blocks until background jobs have finished and their UI callbacks
// have run, including jobs those callbacks start; for tests.
func (a *App) wait() {
	for {
		a.pending.Wait()
		if a.queue == nil {
			return
		}
		a.queue.mu.Lock()
		fns := a.queue.fns
		a.queue.fns = nil
		a.queue.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}
