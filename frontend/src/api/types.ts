// Shapes of the Qingdan HTTP API (api/*.go), generated from the Go types the
// server encodes (./server, api/tstypes_test.go), string unions included.
// Here only what the generator cannot say: the cells of a statistics table.
import type * as server from './server'

export type {
  Actor, AdminUser, Agency, AgencyKind, AgencyRow, Attachment, AttachmentsPage, BasisCheck, CalendarDay, CalendarYear, Candidate,
  Change, ChangeKind, ChangeRequest, ChangeRequestCounts, ChangeRequestDetail, ChangeRequestPage, ChangeRequestRef, ChangeView,
  Citation, Clock, Countersign, Diff, FacetCount, FieldChange, Finding, FindingKind, HistoryEntry, HistoryPerson, Impact,
  ImpactList, ImportAnomaly, ImportPreview, Instrument, InstrumentChange, InstrumentEdition, InstrumentPage, InstrumentRef, Item,
  ItemFields, ItemHistory, ItemRef, ItemsPage, Layout, LayoutColumn, Limits, ListDetail, ListKind, ListSummary, MaterialField,
  MissingMaterial, Notification, NotificationPage, Operation, OperationMark, OperationPreview, OpType, Person, ProcessSetting,
  Region, RegionProcess, RegionRow, RequestEvent, Review, Role, SearchFieldMatch, SearchGroup, SearchItem, SearchResult,
  SearchSegment, Segment, SourceColumn, State, StatsRegion, Track, Trigger, User, Version, VersionCounts, Versions,
} from './server'

/** A statistics table: its cells are strings or numbers (stats.Table, [][]any in Go). */
export interface StatsTable extends Omit<server.StatsTable, 'rows' | 'chart'> {
  rows: (string | number)[][]
  chart?: { kind: 'bar' | 'stacked' | 'line'; x: number; series: number[] } | null
}

export interface StatsAnswer extends Omit<server.StatsAnswer, 'tables'> {
  tables: StatsTable[]
}
