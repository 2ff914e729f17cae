import DictDB
