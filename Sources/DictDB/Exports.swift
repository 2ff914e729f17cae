@_exported import Backup
@_exported import Codecs
@_exported import DictDBAPI
@_exported import DictDBQuery
@_exported import Engine
@_exported import Indexes
