package labs

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The shop data set: the same rows every time, generated from a fixed seed,
// so a lesson can quote numbers and reference queries stay stable.
const seedSchema = `
CREATE TABLE customers (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  email      TEXT NOT NULL,
  city       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  category    TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents > 0)
);
CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  created_at  TEXT NOT NULL
);
CREATE TABLE order_items (
  order_id         INTEGER NOT NULL REFERENCES orders(id),
  product_id       INTEGER NOT NULL REFERENCES products(id),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  owner         TEXT NOT NULL,
  balance_cents INTEGER NOT NULL
);
`

// Sizes of the seeded tables.
const (
	seedCustomers = 500
	seedProducts  = 60
	seedOrders    = 3000
)

// SeedTables lists the tables of the lab database.
func SeedTables() []string {
	return []string{"customers", "products", "orders", "order_items", "accounts"}
}

var (
	firstNames = []string{"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
		"Radia", "Tim", "Hedy", "John", "Katherine", "Donald", "Sophie", "Niklaus", "Joan", "Leslie"}
	lastNames = []string{"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra",
		"Perlman", "Berners-Lee", "Lamarr", "McCarthy", "Johnson", "Knuth", "Wilson", "Wirth", "Clarke", "Lamport"}
	cities   = []string{"Lisbon", "Oslo", "Nairobi", "Osaka", "Lima", "Toronto", "Leeds", "Tartu", "Pune", "Dakar"}
	products = map[string][]string{
		"books":   {"The Art of Queries", "HTTP in Depth", "Caching for Humans", "Designing Schemas", "Concurrency Notes", "Logs and Metrics", "The Index Book", "Distributed Things", "Small Services", "Protocols Explained", "Readable Code", "Testing Servers"},
		"games":   {"Packet Race", "Queue Quest", "Lock Step", "Shard Wars", "Byte Battle", "Cache Hit", "Deadlock", "Retry", "Timeout", "Load Balance", "Hot Path", "Cold Start"},
		"kitchen": {"Kettle", "Teapot", "Mug", "French Press", "Grinder", "Scale", "Whisk", "Skillet", "Cutting Board", "Knife", "Colander", "Timer"},
		"garden":  {"Trowel", "Watering Can", "Seed Tray", "Pruner", "Hose", "Rake", "Gloves", "Planter", "Compost Bin", "Spade", "Sprinkler", "Wheelbarrow"},
		"tools":   {"Screwdriver Set", "Hammer", "Tape Measure", "Spirit Level", "Drill", "Pliers", "Wrench", "Utility Knife", "Clamp", "Saw", "Sander", "Toolbox"},
	}
	categories = []string{"books", "games", "kitchen", "garden", "tools"}
	statuses   = []string{"paid", "paid", "paid", "shipped", "shipped", "shipped", "shipped", "pending", "cancelled"}
)

// seed creates the schema and fills it. It runs before the authorizer is
// installed. Rows go in as one multi-row INSERT a table: far fewer round
// trips through database/sql than a statement a row.
func seed(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, seedSchema); err != nil {
		return fmt.Errorf("create the lab schema: %w", err)
	}
	r := rand.New(rand.NewPCG(20240601, 7))
	epoch := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	var customers, prods, orders, items rowsText

	for id := 1; id <= seedCustomers; id++ {
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		email := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
		if id == 1 {
			first, last, email = "Ada", "Lovelace", "ada@example.com"
		}
		created := epoch.Add(time.Duration(r.IntN(180*24)) * time.Hour)
		customers.add(id, first+" "+last, email, cities[r.IntN(len(cities))], created.Format(time.DateTime))
	}

	prices := make([]int, 0, seedProducts)
	id := 0
	for _, cat := range categories {
		for _, name := range products[cat] {
			id++
			price := (r.IntN(120) + 3) * 100
			price -= []int{0, 1, 5, 51}[r.IntN(4)] // 9.99-style prices
			prices = append(prices, price)
			prods.add(id, name, cat, price)
		}
	}

	for oid := 1; oid <= seedOrders; oid++ {
		// Skewed towards low ids, so a few customers buy a lot and some
		// never buy: both make for interesting joins.
		cust := 1 + int(float64(seedCustomers-40)*r.Float64()*r.Float64())
		at := epoch.Add(time.Duration(r.IntN(360*24*60)) * time.Minute)
		orders.add(oid, cust, statuses[r.IntN(len(statuses))], at.Format(time.DateTime))
		n := 1 + r.IntN(4)
		for _, p := range r.Perm(len(prices))[:n] {
			items.add(oid, p+1, 1+r.IntN(3), prices[p])
		}
	}
	script := "BEGIN;\n" +
		"INSERT INTO customers (id, name, email, city, created_at) VALUES " + customers.String() + ";\n" +
		"INSERT INTO products (id, name, category, price_cents) VALUES " + prods.String() + ";\n" +
		"INSERT INTO orders (id, customer_id, status, created_at) VALUES " + orders.String() + ";\n" +
		"INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES " + items.String() + ";\n" +
		"INSERT INTO accounts (id, owner, balance_cents) VALUES (1, 'alice', 10000), (2, 'bob', 5000), (3, 'carol', 0);\n" +
		"COMMIT;"
	if _, err := conn.ExecContext(ctx, script); err != nil {
		conn.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("fill the lab database: %w", err)
	}
	return nil
}

// rowsText builds the rows of a multi-row VALUES clause from Go values
// the seed controls (ints and strings without surprises).
type rowsText struct{ strings.Builder }

func (rt *rowsText) add(vals ...any) {
	if rt.Len() > 0 {
		rt.WriteString(",")
	}
	rt.WriteString("(")
	for i, v := range vals {
		if i > 0 {
			rt.WriteString(",")
		}
		switch v := v.(type) {
		case int:
			rt.WriteString(strconv.Itoa(v))
		case string:
			rt.WriteString("'" + strings.ReplaceAll(v, "'", "''") + "'")
		}
	}
	rt.WriteString(")")
}
