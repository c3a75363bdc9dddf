package main

import (
	"context"
	"flag"
	"fmt"
)

// runPick prints the id of a power list whose current version has exactly
// --items items (gen gives every county one at the maximum size).
func runPick(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pick", flag.ContinueOnError)
	items := fs.Int("items", 300, "items in the list's current version")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := connectPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	var id int64
	err = pool.QueryRow(ctx, `SELECT l.id FROM lists l JOIN list_versions v ON v.list_id = l.id AND v.number = l.current_version
		WHERE v.item_count = $1 AND l.kind = 'power' ORDER BY l.id LIMIT 1`, *items).Scan(&id)
	if err != nil {
		return fmt.Errorf("no power list with %d items: %w", *items, err)
	}
	fmt.Println(id)
	return nil
}
