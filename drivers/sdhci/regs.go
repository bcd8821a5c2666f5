package sdhci

// Registers, BCM2835 ARM Peripherals 5.4 (SDHCI 3.00 names in brackets).
const (
	ARG2         = 0x00 // [SDMA System Address / Argument 2]
	BLKSIZECNT   = 0x04 // block size (bits 9:0) and count (31:16)
	ARG1         = 0x08 // command argument
	CMDTM        = 0x0c // [Transfer Mode | Command]
	RESP0        = 0x10 // response bits 31:0 (of the response without CRC)
	RESP1        = 0x14
	RESP2        = 0x18
	RESP3        = 0x1c
	DATA         = 0x20 // [Buffer Data Port]
	STATUS       = 0x24 // [Present State]
	CONTROL0     = 0x28 // [Host Control 1 | Power Control | ...]
	CONTROL1     = 0x2c // [Clock Control | Timeout Control | Software Reset]
	INTERRUPT    = 0x30 // [Normal | Error Interrupt Status], write 1 to clear
	IRPT_MASK    = 0x34 // [Interrupt Status Enable]
	IRPT_EN      = 0x38 // [Interrupt Signal Enable]
	CONTROL2     = 0x3c
	CAPABILITIES = 0x40 // [Capabilities], not in the BCM2835 document
	SLOTISR_VER  = 0xfc // [Host Controller Version] in bits 23:16
)

// ADMA registers, SDHCI 3.00 2.2.29-2.2.30. The BCM2835 document leaves
// them out (its EMMC has no DMA of its own); the BCM2711's EMMC2 has them.
const (
	ADMA_ERR_STATUS = 0x54 // [ADMA Error Status]
	ADMA_SYS_ADDR   = 0x58 // [ADMA System Address] bits 31:0
)

// CMDTM fields: the Transfer Mode register (SDHCI 3.00 2.2.5) in bits
// 15:0, the Command register (2.2.6) in bits 31:16.
const (
	TM_DMA_EN      = 1 << 0 // DMA Enable: data moves by the DMA CONTROL0 selects
	TM_BLKCNT_EN   = 1 << 1
	TM_AUTO_CMD12  = 1 << 2 // Auto CMD Enable = 01: CMD12 after the last block
	TM_DAT_DIR     = 1 << 4 // 1: card to host
	TM_MULTI_BLOCK = 1 << 5
	CMD_RSPNS_136  = 1 << 16
	CMD_RSPNS_48   = 2 << 16
	CMD_RSPNS_48B  = 3 << 16 // 48 bits with busy
	CMD_CRCCHK_EN  = 1 << 19
	CMD_IXCHK_EN   = 1 << 20
	CMD_ISDATA     = 1 << 21
	cmdIndexShift  = 24
)

// CAPABILITIES bits (SDHCI 3.00 2.2.26).
const (
	CAP_SDMA  = 1 << 22
	CAP_ADMA2 = 1 << 19
)

// CONTROL0's DMA Select field (Host Control 1, SDHCI 3.00 2.2.10, bits
// 4:3): which DMA TM_DMA_EN starts. 0b10 is ADMA2 with 32-bit addresses.
const (
	CONTROL0_DMA_MASK  = 3 << 3
	CONTROL0_DMA_ADMA2 = 2 << 3
)

// STATUS bits.
const (
	CMD_INHIBIT = 1 << 0
	DAT_INHIBIT = 1 << 1
)

// CONTROL0: power control is its second byte [Power Control Register
// 2.2.11]: bit 8 SD bus power, bits 11:9 = 0b111 for 3.3 V.
const CONTROL0_POWER_3V3 = 0xf << 8

// CONTROL1 bits.
const (
	CLK_INTLEN  = 1 << 0 // internal clock enable
	CLK_STABLE  = 1 << 1
	CLK_EN      = 1 << 2    // SD clock to the card
	DATA_TOUNIT = 0xe << 16 // data timeout: TMCLK * 2^27, the longest
	SRST_HC     = 1 << 24
	SRST_CMD    = 1 << 25 // reset the command line's state
	SRST_DATA   = 1 << 26 // reset the data lines' state, DMA included
)

// INTERRUPT bits: Normal Interrupt Status (SDHCI 3.00 2.2.17) in 15:0,
// Error Interrupt Status (2.2.18) in 31:16.
const (
	CMD_DONE  = 1 << 0
	DATA_DONE = 1 << 1 // [Transfer Complete]
	DMA_INT   = 1 << 3 // a descriptor with Int set was done
	WRITE_RDY = 1 << 4
	READ_RDY  = 1 << 5
	ERR       = 1 << 15
	ERR_MASK  = 0xffff0000 // every error status bit
	CTO_ERR   = 1 << 16    // command timeout: no card answered
	CCRC_ERR  = 1 << 17    // command CRC
	CEND_ERR  = 1 << 18    // command end bit
	CBAD_ERR  = 1 << 19    // command index
	DTO_ERR   = 1 << 20    // data timeout
	DCRC_ERR  = 1 << 21    // data CRC
	DEND_ERR  = 1 << 22    // data end bit
	ACMD_ERR  = 1 << 24    // Auto CMD12 failed (details in CONTROL2 15:0)
	ADMA_ERR  = 1 << 25    // ADMA failed (details in ADMA_ERR_STATUS)
)

// SD commands (Physical Layer Simplified Specification 4.7.4).
const (
	GO_IDLE_STATE        = 0
	ALL_SEND_CID         = 2
	SEND_RELATIVE_ADDR   = 3
	SELECT_CARD          = 7
	SEND_IF_COND         = 8
	SEND_CSD             = 9
	SET_BLOCKLEN         = 16
	STOP_TRANSMISSION    = 12
	READ_SINGLE_BLOCK    = 17
	READ_MULTIPLE_BLOCK  = 18
	WRITE_SINGLE_BLOCK   = 24
	WRITE_MULTIPLE_BLOCK = 25
	APP_CMD              = 55
	SD_SEND_OP_COND      = 41 // ACMD41
)

// SectorSize is the block size the driver uses.
const SectorSize = 512
