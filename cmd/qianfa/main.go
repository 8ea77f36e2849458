// Command qianfa is the Qianfa desktop app. It only wires: flags, open the
// workspace, fill the sample office if asked, build the window, run.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"fyne.io/fyne/v2/app"

	"qianfa/cmd/internal/sample"
	"qianfa/cmd/internal/workspace"
	"qianfa/review"
	"qianfa/review/intake"
	"qianfa/review/screening"
	"qianfa/review/workflow"
	"qianfa/storage"
	"qianfa/ui"
)

func main() {
	dbPath := flag.String("db", workspace.DefaultPath(), "工作区文件")
	withSample := flag.Bool("sample", false, "工作区为空时填入示例文件和示例用户")
	openID := flag.Int64("open", 0, "启动时打开该编号文件最近两版的比较")
	view := flag.String("view", ui.CompareViewSideBySide, "与 --open 合用：compare 并排对照，inline 修订标记，duizhao 修改对照表，screening 保密筛查；单独用 comments 打开征求意见")
	exportTo := flag.String("export-to", "", "与 --open 合用：启动时将该文件的发布包导出到此目录（口令取自 QIANFA_PASSPHRASE，供截图）")
	user := flag.String("user", "", "以该用户登录，口令取自环境变量 QIANFA_PASSPHRASE（供脚本与截图；不给则显示登录框）")
	flag.Parse()

	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintf(os.Stderr, "没有图形显示（DISPLAY/WAYLAND_DISPLAY 未设置），无法打开窗口；同一工作区可用命令行操作：qianfa-cli --db %s list\n", *dbPath)
		os.Exit(1)
	}
	db, err := storage.Open(*dbPath)
	if err != nil {
		log.Fatalf("打开工作区失败：%s（%v）", review.ErrorMessage(err), err)
	}
	defer db.Close()
	ctx := context.Background()
	if *withSample {
		if err := sample.Seed(ctx, db, sample.FindCorpus()); err != nil {
			log.Fatalf("创建示例工作区失败：%s（%v）", review.ErrorMessage(err), err)
		}
	}

	svc := &workflow.Service{Store: db, Docs: db, Users: db}
	var current *review.User
	if *user != "" {
		if current, err = svc.Login(ctx, *user, os.Getenv("QIANFA_PASSPHRASE")); err != nil {
			log.Fatalf("登录失败：%s", review.ErrorMessage(err))
		}
	}

	a := app.NewWithID("cn.gov.qianfa")
	newWindow := ui.NewMainWindow
	if *view == ui.ViewComments {
		newWindow = ui.NewMainWindowComments()
	}
	if *openID > 0 {
		newWindow = ui.NewMainWindowComparing(*openID, *view)
		if *view == ui.ViewScreening {
			newWindow = ui.NewMainWindowScreening(*openID)
		}
		if *exportTo != "" {
			newWindow = ui.NewMainWindowExporting(*openID, *exportTo, os.Getenv("QIANFA_PASSPHRASE"))
		}
	}
	w := newWindow(a, ui.Services{
		Docs: db, Users: db, Audit: db, Settings: db, Review: svc, User: current,
		Screening: &screening.Service{Store: db, Docs: db, Users: db},
		Import: func(ctx context.Context, path string, opt ui.ImportOptions) (*review.Document, error) {
			return intake.File(ctx, db, path, intake.Options{Kind: opt.Kind, Title: opt.Title, Author: opt.Author})
		},
	})
	w.ShowAndRun()
}
