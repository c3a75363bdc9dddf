// Shapes of the Qingdan HTTP API (api/*.go), generated from the Go types the
// server encodes (./server, api/tstypes_test.go), string unions included.
// Here only what the generator cannot say: the cells of a statistics table.
import type * as server from './server'

export type {
  Actor, AdminUser, Agency, AgencyKind, AgencyPage, AgencyRow, Attachment, AttachmentsPage, BasisCheck, BasisReport,
  BasisReportList, BatchPublished, CalendarDay, CalendarDayKind, CalendarDays, CalendarYear, Candidate, Candidates, Change,
  ChangeKind, ChangeRequest, ChangeRequestCounts, ChangeRequestDetail, ChangeRequestPage, ChangeRequestRef, ChangeView, Citation,
  Clock, Countersign, Diff, Draft, Drafts, FacetCount, FieldChange, Finding, FindingKind, HistoryEntry, HistoryPerson, Impact,
  ImpactList, ImportAnomaly, Imported, ImportPreview, Instrument, InstrumentChange, InstrumentDetail, InstrumentEdition,
  InstrumentImport, InstrumentPage, InstrumentRef, InstrumentSaved, Item, ItemFields, ItemHistory, ItemRef, ItemsPage, Layout,
  LayoutColumn, Limits, ListDetail, ListKind, ListPage, ListSummary, Login, MaterialField, MissingMaterial, Notification,
  NotificationPage, NotificationSettings, OnboardAgency, OnboardCredential, Onboarded, OnboardPerson, OnboardPreview, Operation,
  OperationMark, OperationPreview, OpType, Person, ProcessSetting, Publishable, Region, RegionLevel, RegionLimits, RegionPage,
  RegionProcess, RegionRow, RegionWithParents, RequestEvent, Review, Role, SearchFieldMatch, SearchGroup, SearchItem,
  SearchResult, SearchSegment, Segment, SourceColumn, State, StatsRegion, Supervision, Track, Trigger, UnreadCount, User,
  UserPage, Version, VersionCounts, Versions, Workday,
} from './server'

/** A statistics table: its cells are strings or numbers (stats.Table, [][]any in Go). */
export interface StatsTable extends Omit<server.StatsTable, 'rows'> {
  rows: (string | number)[][]
}

export interface StatsAnswer extends Omit<server.StatsAnswer, 'tables'> {
  tables: StatsTable[]
}
