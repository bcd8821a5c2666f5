package mm

import (
	"reflect"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

type packet struct {
	Len  uint16
	Data [62]byte
}

// newTestPool makes a pool over size bytes of "physical memory".
func newTestPool[T any](t testing.TB, size uint64) *Pool[T] {
	t.Helper()
	m := NewDirectMapSlice(make([]byte, size), 0x100000)
	p, err := NewPool[T]("test", m, 0x100000, size)
	require.NoError(t, err)
	return p
}

func TestPoolRefusesPointerTypes(t *testing.T) {
	type withString struct {
		ID   int
		Name string
	}
	type nested struct {
		A [2]struct{ P *int }
	}
	refused := []reflect.Type{
		reflect.TypeFor[*int](), reflect.TypeFor[string](), reflect.TypeFor[[]byte](),
		reflect.TypeFor[map[int]int](), reflect.TypeFor[chan int](), reflect.TypeFor[func()](),
		reflect.TypeFor[any](), reflect.TypeFor[unsafe.Pointer](), reflect.TypeFor[withString](),
		reflect.TypeFor[nested](), reflect.TypeFor[[4]*byte](),
	}
	for _, typ := range refused {
		require.ErrorIs(t, checkPointerFree(typ), ErrPoolPointers, "checkPointerFree(%v)", typ)
	}
	accepted := []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[packet](), reflect.TypeFor[[8]float64](),
		reflect.TypeFor[struct {
			A uintptr
			B complex128
			C bool
		}](), reflect.TypeFor[struct{}](),
	}
	for _, typ := range accepted {
		require.NoError(t, checkPointerFree(typ), "checkPointerFree(%v)", typ)
	}
	_, err := NewPool[withString]("bad", NewDirectMapSlice(make([]byte, PageSize), 0), 0, PageSize)
	require.ErrorIs(t, err, ErrPoolPointers)
	require.ErrorContains(t, err, "withString.Name is a string")
}

func TestPoolGetPut(t *testing.T) {
	p := newTestPool[packet](t, PageSize) // 4096 / 64 = 64 objects
	require.Equal(t, 64, p.Stats().Capacity)
	var got []*packet
	seen := map[*packet]bool{}
	for range 64 {
		o, err := p.Get()
		require.NoError(t, err)
		require.False(t, seen[o], "Get returned %p twice", o)
		seen[o] = true
		require.Zero(t, *o, "Get must return a zeroed object")
		o.Len = 0xffff
		got = append(got, o)
	}
	_, err := p.Get()
	require.ErrorIs(t, err, ErrPoolEmpty)
	require.NoError(t, p.Put(got[3]))
	o, err := p.Get()
	require.NoError(t, err)
	require.Equal(t, got[3], o, "the freed slot comes back")
	require.Zero(t, o.Len, "and it is zeroed again")

	require.ErrorIs(t, p.Put(got[5]), nil)
	require.ErrorIs(t, p.Put(got[5]), ErrDoubleFree, "second Put of one object")
	var outside packet
	require.ErrorIs(t, p.Put(&outside), ErrForeign, "Put of a Go heap object")
	mid := (*packet)(unsafe.Add(unsafe.Pointer(got[7]), 2))
	require.ErrorIs(t, p.Put(mid), ErrForeign, "Put of a pointer into the middle of an object")
	s := p.Stats()
	require.Equal(t, PoolStats{Name: "test", ObjectSize: 64, Capacity: 64, InUse: 63, Empty: 1, BadPuts: 3}, s)
}

// Several goroutines take and return objects; each writes its own mark into
// what it holds and checks nobody else changed it. Run with -race.
func TestPoolConcurrent(t *testing.T) {
	p := newTestPool[packet](t, 16*PageSize)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var held []*packet
			for i := range 5000 {
				if len(held) < 20 && i%3 != 2 {
					o, err := p.Get()
					if err != nil {
						continue
					}
					o.Len = uint16(g)
					held = append(held, o)
					continue
				}
				if len(held) == 0 {
					continue
				}
				o := held[len(held)-1]
				held = held[:len(held)-1]
				if o.Len != uint16(g) {
					t.Errorf("goroutine %d: object %p was handed to someone else (mark %d)", g, o, o.Len)
					return
				}
				if err := p.Put(o); err != nil {
					t.Error(err)
					return
				}
			}
			for _, o := range held {
				p.Put(o)
			}
		}()
	}
	wg.Wait()
	s := p.Stats()
	require.Zero(t, s.InUse)
	require.Zero(t, s.BadPuts)
}

// BenchmarkPoolGetPut is the "pool alloc/free" (the plan's target
// is under 50 ns per pool allocation).
func BenchmarkPoolGetPut(b *testing.B) {
	p := newTestPool[packet](b, 16*PageSize)
	for b.Loop() {
		o, _ := p.Get()
		p.Put(o)
	}
}

func BenchmarkPoolGetPutParallel(b *testing.B) {
	p := newTestPool[packet](b, 64*PageSize)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			o, err := p.Get()
			if err == nil {
				p.Put(o)
			}
		}
	})
}
