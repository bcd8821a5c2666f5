package rsp

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// Register describes one register the stub publishes.
type Register struct {
	Name    string // as the stub spells it: "x0", "pc", "cpsr", "SCTLR", "TTBR1_EL1"
	Num     int    // number used by the p and P packets
	Bits    int
	Type    string // "int", "code_ptr", "uint64", "vq"...
	Group   string // "general", "system"... when given
	Feature string // the feature it came from, "org.gnu.gdb.aarch64.core"
	InG     bool   // part of the g packet (the core feature)
}

// Target is the register layout from the target description.
type Target struct {
	Arch      string
	Registers []Register
	byName    map[string]int
}

// Lookup finds a register by name, case-insensitively (QEMU publishes both
// "sctlr_el1"-style and aliased upper-case names such as "SCTLR").
func (t *Target) Lookup(name string) (Register, bool) {
	name = strings.ToLower(name)
	i, ok := t.byName[name]
	if !ok {
		// QEMU publishes some EL1 registers under their AArch32-style
		// alias: SCTLR_EL1 as "SCTLR", VBAR_EL1 as "VBAR".
		i, ok = t.byName[strings.TrimSuffix(name, "_el1")]
	}
	if !ok {
		return Register{}, false
	}
	return t.Registers[i], true
}

// xmlTarget and xmlFeature mirror gdb's target description DTD (GDB manual,
// G.2 Target Description Format), keeping only what the client needs.
type xmlTarget struct {
	Arch     string       `xml:"architecture"`
	Includes []xmlInclude `xml:"include"`
	Features []xmlFeature `xml:"feature"`
}

type xmlInclude struct {
	Href string `xml:"href,attr"`
}

type xmlFeature struct {
	Name string   `xml:"name,attr"`
	Regs []xmlReg `xml:"reg"`
}

type xmlReg struct {
	Name    string `xml:"name,attr"`
	Bitsize string `xml:"bitsize,attr"`
	Regnum  string `xml:"regnum,attr"`
	Type    string `xml:"type,attr"`
	Group   string `xml:"group,attr"`
}

// ReadFeature fetches one annex of the target description through
// qXfer:features:read, in chunks.
func (c *Client) ReadFeature(annex string) (string, error) {
	var sb strings.Builder
	for {
		reply, err := c.Request(fmt.Sprintf("qXfer:features:read:%s:%x,%x", annex, sb.Len(), 0xffb))
		if err != nil {
			return "", fmt.Errorf("reading target description %s: %w", annex, err)
		}
		sb.WriteString(reply[1:])
		switch reply[0] {
		case 'l':
			return sb.String(), nil
		case 'm':
			if len(reply) == 1 {
				return "", fmt.Errorf("rsp: empty 'm' chunk reading %s", annex)
			}
		default:
			return "", fmt.Errorf("rsp: bad qXfer reply %q", short(reply))
		}
	}
}

// Target returns the register layout, fetching target.xml and its
// includes the first time.
func (c *Client) Target() (*Target, error) {
	c.mu.Lock()
	t := c.target
	c.mu.Unlock()
	if t != nil {
		return t, nil
	}
	if c.Supported != nil && c.Supported["qXfer:features:read"] != "+" {
		return nil, fmt.Errorf("%w: qXfer:features:read", ErrUnsupported)
	}
	doc, err := c.ReadFeature("target.xml")
	if err != nil {
		return nil, err
	}
	t, err = ParseTarget(doc, c.ReadFeature)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.target = t
	c.mu.Unlock()
	return t, nil
}

// ParseTarget builds the register layout from target.xml, calling fetch
// for each xi:include. Registers without a regnum take the next number, and
// the first feature's registers ("core") are the ones the g packet carries.
func ParseTarget(doc string, fetch func(annex string) (string, error)) (*Target, error) {
	var top xmlTarget
	if err := xml.Unmarshal([]byte(doc), &top); err != nil {
		return nil, fmt.Errorf("rsp: bad target description: %w", err)
	}
	t := &Target{Arch: top.Arch, byName: map[string]int{}}
	features := top.Features
	for _, inc := range top.Includes {
		sub, err := fetch(inc.Href)
		if err != nil {
			return nil, err
		}
		var f xmlFeature
		if err := xml.Unmarshal([]byte(sub), &f); err != nil {
			return nil, fmt.Errorf("rsp: bad target description %s: %w", inc.Href, err)
		}
		features = append(features, f)
	}
	next := 0
	for fi, f := range features {
		for _, r := range f.Regs {
			bits, err := strconv.Atoi(r.Bitsize)
			if err != nil {
				return nil, fmt.Errorf("rsp: register %s has bad bitsize %q", r.Name, r.Bitsize)
			}
			num := next
			if r.Regnum != "" {
				if num, err = strconv.Atoi(r.Regnum); err != nil {
					return nil, fmt.Errorf("rsp: register %s has bad regnum %q", r.Name, r.Regnum)
				}
			}
			next = num + 1
			reg := Register{Name: r.Name, Num: num, Bits: bits, Type: r.Type, Group: r.Group,
				Feature: f.Name, InG: fi == 0}
			if _, dup := t.byName[strings.ToLower(r.Name)]; !dup {
				t.byName[strings.ToLower(r.Name)] = len(t.Registers)
			}
			t.Registers = append(t.Registers, reg)
		}
	}
	if len(t.Registers) == 0 {
		return nil, fmt.Errorf("rsp: the target description lists no registers")
	}
	return t, nil
}
