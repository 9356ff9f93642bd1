package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

const exampleBody = "9月27日，天水市清水县第三届农民丰收节在县城文化广场开幕。来自全县十八个乡镇的农民代表带着苹果、花椒、核桃等特色农产品参加展销，现场设置了农产品展示区、电商直播区和非遗展演区。\n" +
	"开幕式上，县农业农村局介绍了今年全县粮食生产和特色产业发展情况：全县粮食播种面积稳定在四十万亩以上，苹果种植面积达到二十万亩，花椒、核桃等干果经济林持续扩大，带动农户增收效果明显。\n" +
	"活动期间还举办了农民趣味运动会、秦腔演唱和书画展览，吸引了大量群众前来观看。当地干部表示，将以丰收节为契机，进一步拓宽农产品销售渠道，推动乡村产业振兴，让更多农民分享丰收的喜悦。"

func Example() {
	dir, err := os.MkdirTemp("", "xinwen-store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "articles.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	// The same story on two portals, the second re-typeset: paragraphs
	// indented with full-width spaces, half-width commas.
	retypeset := "\u3000\u3000" + strings.NewReplacer("\n", "\n\u3000\u3000", "，", ", ").Replace(exampleBody)
	res, err := s.Put(ctx, []news.Article{
		{ID: "gscn-1", Title: "清水县举办第三届农民丰收节", Body: exampleBody},
		{ID: "tianshui-9", Title: "清水：丰收节上晒丰收", Body: retypeset},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		fmt.Println(strings.TrimSpace(fmt.Sprint(r.ID, " ", r.Outcome, " ", r.DuplicateOf)))
	}

	a, err := s.Get(ctx, "tianshui-9")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Title, "→", a.DuplicateOf)

	_, err = s.Get(ctx, "no-such-id")
	fmt.Println(news.ErrorCode(err))
	// Output:
	// gscn-1 added
	// tianshui-9 duplicate gscn-1
	// 清水：丰收节上晒丰收 → gscn-1
	// not_found
}

// A rebuild reads the whole store, then catches up with what was written
// while it read. Each is not a snapshot: here it had already read b when b
// was deleted, and had passed c's position when c was added; Changes reports
// both.
func ExampleStore_Changes() {
	dir, err := os.MkdirTemp("", "xinwen-store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "articles.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Put(ctx, []news.Article{{ID: "a", Title: "一"}, {ID: "b", Title: "二"}}); err != nil {
		log.Fatal(err)
	}

	since := s.Seq()
	err = s.Each(ctx, func(a news.Article) error {
		fmt.Println("index", a.ID)
		if a.ID == "a" { // meanwhile, ingestion goes on
			if _, err := s.Put(ctx, []news.Article{{ID: "c", Title: "三"}}); err != nil {
				return err
			}
			return s.Delete(ctx, "b")
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	err = s.Changes(ctx, since, func(seq uint64, id string, deleted bool) error {
		fmt.Println("catch up", seq, id, deleted)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// index a
	// index b
	// catch up 3 c false
	// catch up 4 b true
}
