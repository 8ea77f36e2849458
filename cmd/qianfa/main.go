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
	"qianfa/cmd/internal/services"
	"qianfa/cmd/internal/workspace"
	"qianfa/review"
	"qianfa/review/intake"
	"qianfa/storage"
	"qianfa/ui"
)

func main() {
	dbPath := flag.String("db", workspace.DefaultPath(), "工作区文件")
	withSample := flag.Bool("sample", false, "工作区为空时填入示例文件和示例用户")
	user := flag.String("user", "", "以该用户登录，口令取自环境变量 QIANFA_PASSPHRASE（供脚本与截图；不给则显示登录框）")
	var start ui.Start
	flag.StringVar(&start.View, "view", "", "启动时显示：documents 全部文件，comments 征求意见，settings 设置；与 --open 合用：compare 并排对照，inline 修订标记，duizhao 修改对照表，screening 保密筛查，export 导出发布包")
	flag.Int64Var(&start.Document, "open", 0, "--view 所指的文件编号")
	flag.StringVar(&start.ExportTo, "export-to", "", "--view export 的导出目录（口令取自 QIANFA_PASSPHRASE）")
	flag.Parse()
	start.Passphrase = os.Getenv("QIANFA_PASSPHRASE")
	if start.ExportTo != "" && start.View == "" {
		start.View = ui.StartExport
	}
	if start.Document > 0 && start.View == "" {
		start.View = ui.CompareViewSideBySide
	}
	if err := start.Validate(); err != nil {
		fmt.Fprintf(os.Stderr, "用法错误：%s\n", review.ErrorMessage(err))
		os.Exit(2)
	}

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

	svc := services.New(db)
	var current *review.User
	if *user != "" {
		if current, err = svc.Review.Login(ctx, *user, os.Getenv("QIANFA_PASSPHRASE")); err != nil {
			log.Fatalf("登录失败：%s", review.ErrorMessage(err))
		}
	}

	var hint string
	if *withSample {
		hint = sample.LoginHint()
	}
	ui.UseChinese()
	a := app.NewWithID("cn.gov.qianfa")
	w := ui.NewMainWindow(a, ui.Services{
		Docs: db, Users: db, Audit: db, Settings: db, User: current, LoginHint: hint,
		Review: svc.Review, Screening: svc.Screening, Publishing: svc.Publish, Comments: db,
		Import: func(ctx context.Context, path string, opt ui.ImportOptions) (*review.Document, error) {
			return intake.File(ctx, db, path, intake.Options{Kind: opt.Kind, Title: opt.Title, Author: opt.Author})
		},
	}, start)
	w.ShowAndRun()
}
